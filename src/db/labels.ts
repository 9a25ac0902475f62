// Repository labels and the labels on issues.
import { IN_LIST, listArg } from './sql-list';

export interface LabelRecord {
  id: number;
  repoId: number;
  name: string;
  /** Six lower-case hex digits, without '#'. */
  color: string;
  description: string;
}

interface LabelRow {
  id: number;
  repo_id: number;
  name: string;
  color: string;
  description: string;
}

const COLUMNS = `l."id", l."repo_id", l."name", l."color", l."description"`;

export function toLabel(r: LabelRow): LabelRecord {
  return {
    id: Number(r.id),
    repoId: Number(r.repo_id),
    name: r.name,
    color: r.color,
    description: r.description,
  };
}

export async function listLabels(db: D1Database, repoId: number): Promise<LabelRecord[]> {
  const { results } = await db
    .prepare(`select ${COLUMNS} from "label" l where l."repo_id" = ? order by l."name" collate nocase`)
    .bind(repoId)
    .all<LabelRow>();
  return results.map(toLabel);
}

export async function getLabel(db: D1Database, repoId: number, id: number): Promise<LabelRecord | null> {
  const r = await db
    .prepare(`select ${COLUMNS} from "label" l where l."repo_id" = ? and l."id" = ?`)
    .bind(repoId, id)
    .first<LabelRow>();
  return r ? toLabel(r) : null;
}

/** The repository's labels among `ids`; callers compare lengths to spot unknown ids. */
export async function findLabelsByIds(db: D1Database, repoId: number, ids: number[]): Promise<LabelRecord[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`select ${COLUMNS} from "label" l where l."repo_id" = ? and l."id" in ${IN_LIST}`)
    .bind(repoId, listArg(ids))
    .all<LabelRow>();
  return results.map(toLabel);
}

/** The repository's labels named (any case) among `names`. */
export async function findLabelsByNames(
  db: D1Database,
  repoId: number,
  names: string[],
): Promise<LabelRecord[]> {
  if (names.length === 0) return [];
  const { results } = await db
    .prepare(
      `select ${COLUMNS} from "label" l where l."repo_id" = ?
       and l."name" collate nocase in ${IN_LIST}`,
    )
    .bind(repoId, listArg(names))
    .all<LabelRow>();
  return results.map(toLabel);
}

export interface NewLabel {
  repoId: number;
  name: string;
  color: string;
  description: string;
}

/** Inserts a label; null when the repository already has one of that name (any case). */
export async function createLabel(db: D1Database, l: NewLabel): Promise<LabelRecord | null> {
  const r = await db
    .prepare(
      `insert into "label" ("repo_id", "name", "color", "description", "created_at") values (?, ?, ?, ?, ?)
       on conflict do nothing returning "id", "repo_id", "name", "color", "description"`,
    )
    .bind(l.repoId, l.name, l.color, l.description, new Date().toISOString())
    .first<LabelRow>();
  return r ? toLabel(r) : null;
}

export interface LabelChanges {
  name?: string;
  color?: string;
  description?: string;
}

/** Applies changes; 'conflict' when a rename collides with another label of the repository. */
export async function updateLabel(
  db: D1Database,
  repoId: number,
  id: number,
  ch: LabelChanges,
): Promise<'ok' | 'conflict'> {
  const sets: string[] = [];
  const args: string[] = [];
  for (const [column, value] of [
    ['name', ch.name],
    ['color', ch.color],
    ['description', ch.description],
  ] as const) {
    if (value === undefined) continue;
    sets.push(`"${column}" = ?`);
    args.push(value);
  }
  if (sets.length === 0) return 'ok';
  const r = await db
    .prepare(`update or ignore "label" set ${sets.join(', ')} where "repo_id" = ? and "id" = ?`)
    .bind(...args, repoId, id)
    .run();
  return (r.meta.changes ?? 0) > 0 ? 'ok' : 'conflict';
}

export async function deleteLabel(db: D1Database, repoId: number, id: number): Promise<boolean> {
  const r = await db.prepare(`delete from "label" where "repo_id" = ? and "id" = ?`).bind(repoId, id).run();
  return (r.meta.changes ?? 0) > 0;
}

/** The labels on each of the issues, by issue id. */
export async function labelsOfIssues(
  db: D1Database,
  issueIds: number[],
): Promise<Map<number, LabelRecord[]>> {
  const out = new Map<number, LabelRecord[]>();
  if (issueIds.length === 0) return out;
  const { results } = await db
    .prepare(
      `select il."issue_id", ${COLUMNS} from "issue_label" il join "label" l on l."id" = il."label_id"
       where il."issue_id" in (${issueIds.map(() => '?').join(', ')}) order by l."name" collate nocase`,
    )
    .bind(...issueIds)
    .all<LabelRow & { issue_id: number }>();
  for (const r of results) {
    const list = out.get(Number(r.issue_id)) ?? [];
    list.push(toLabel(r));
    out.set(Number(r.issue_id), list);
  }
  return out;
}

/** Statements that make the issue's labels exactly `labelIds` (for a batch). */
export function replaceIssueLabelsStatements(
  db: D1Database,
  issueId: number,
  labelIds: number[],
): D1PreparedStatement[] {
  return [
    db.prepare(`delete from "issue_label" where "issue_id" = ?`).bind(issueId),
    ...addIssueLabelsStatements(db, issueId, labelIds),
  ];
}

export function addIssueLabelsStatements(
  db: D1Database,
  issueId: number,
  labelIds: number[],
): D1PreparedStatement[] {
  return labelIds.map((id) =>
    db
      .prepare(`insert into "issue_label" ("issue_id", "label_id") values (?, ?) on conflict do nothing`)
      .bind(issueId, id),
  );
}

/** Adds labels to an issue (already there: kept), touching the issue. */
export async function addIssueLabels(db: D1Database, issueId: number, labelIds: number[]): Promise<void> {
  await db.batch([...addIssueLabelsStatements(db, issueId, labelIds), touchStatement(db, issueId)]);
}

export async function replaceIssueLabels(db: D1Database, issueId: number, labelIds: number[]): Promise<void> {
  await db.batch([...replaceIssueLabelsStatements(db, issueId, labelIds), touchStatement(db, issueId)]);
}

/** Removes one label from an issue; false when it was not on it. */
export async function removeIssueLabel(db: D1Database, issueId: number, labelId: number): Promise<boolean> {
  const [r] = await db.batch([
    db.prepare(`delete from "issue_label" where "issue_id" = ? and "label_id" = ?`).bind(issueId, labelId),
    touchStatement(db, issueId),
  ]);
  return (r.meta.changes ?? 0) > 0;
}

function touchStatement(db: D1Database, issueId: number): D1PreparedStatement {
  return db
    .prepare(`update "issue" set "updated_at" = ? where "id" = ?`)
    .bind(new Date().toISOString(), issueId);
}
