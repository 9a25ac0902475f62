// A repository's milestones and the counts of the issues and pull requests that point at them.
import { IN_LIST, listArg } from './sql-list';

export type MilestoneState = 'open' | 'closed';

export interface MilestoneRecord {
  id: number;
  repoId: number;
  title: string;
  description: string;
  state: MilestoneState;
  dueOn: string | null;
  openIssues: number;
  closedIssues: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

interface Row {
  id: number;
  repo_id: number;
  title: string;
  description: string;
  state: MilestoneState;
  due_on: string | null;
  open_issues: number;
  closed_issues: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

const SELECT = `select m."id", m."repo_id", m."title", m."description", m."state", m."due_on",
  (select count(*) from "issue" i where i."milestone_id" = m."id" and i."state" = 'open') as open_issues,
  (select count(*) from "issue" i where i."milestone_id" = m."id" and i."state" = 'closed') as closed_issues,
  m."created_at", m."updated_at", m."closed_at"
  from "milestone" m`;

function toMilestone(r: Row): MilestoneRecord {
  return {
    id: Number(r.id),
    repoId: Number(r.repo_id),
    title: r.title,
    description: r.description,
    state: r.state,
    dueOn: r.due_on,
    openIssues: Number(r.open_issues),
    closedIssues: Number(r.closed_issues),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

export interface MilestoneFilter {
  state: MilestoneState | 'all';
  /** Titles containing this text, without regard to case. */
  name?: string;
  limit: number;
  offset: number;
}

/** One page of the repository's milestones (oldest first, as Gitea) and how many match. */
export async function listMilestones(
  db: D1Database,
  repoId: number,
  f: MilestoneFilter,
): Promise<{ milestones: MilestoneRecord[]; total: number }> {
  const where = [`m."repo_id" = ?`];
  const args: (string | number)[] = [repoId];
  if (f.state !== 'all') {
    where.push(`m."state" = ?`);
    args.push(f.state);
  }
  if (f.name) {
    where.push(`instr(lower(m."title"), lower(?)) > 0`);
    args.push(f.name);
  }
  const clause = where.join(' and ');
  const [page, count] = await db.batch([
    db.prepare(`${SELECT} where ${clause} order by m."id" limit ? offset ?`).bind(...args, f.limit, f.offset),
    db.prepare(`select count(*) as n from "milestone" m where ${clause}`).bind(...args),
  ]);
  return {
    milestones: (page.results as Row[]).map(toMilestone),
    total: Number((count.results as { n: number }[])[0]?.n ?? 0),
  };
}

export async function getMilestone(
  db: D1Database,
  repoId: number,
  id: number,
): Promise<MilestoneRecord | null> {
  const r = await db.prepare(`${SELECT} where m."repo_id" = ? and m."id" = ?`).bind(repoId, id).first<Row>();
  return r ? toMilestone(r) : null;
}

/** The repository's milestones with these titles (case-insensitive), for filters naming them. */
export async function findMilestonesByTitles(
  db: D1Database,
  repoId: number,
  titles: string[],
): Promise<MilestoneRecord[]> {
  if (titles.length === 0) return [];
  const { results } = await db
    .prepare(
      `${SELECT} where m."repo_id" = ? and lower(m."title") in (${titles.map(() => 'lower(?)').join(', ')})`,
    )
    .bind(repoId, ...titles)
    .all<Row>();
  return results.map(toMilestone);
}

export interface NewMilestone {
  repoId: number;
  title: string;
  description: string;
  state: MilestoneState;
  dueOn: string | null;
  /** Kept from a migration's source; now otherwise. */
  createdAt?: string;
  closedAt?: string | null;
}

export async function createMilestone(db: D1Database, m: NewMilestone): Promise<MilestoneRecord> {
  const now = new Date().toISOString();
  const created = m.createdAt ?? now;
  const closedAt = m.state === 'closed' ? (m.closedAt ?? now) : null;
  const row = await db
    .prepare(
      `insert into "milestone" ("repo_id", "title", "description", "state", "due_on", "created_at", "updated_at", "closed_at")
       values (?, ?, ?, ?, ?, ?, ?, ?) returning "id"`,
    )
    .bind(m.repoId, m.title, m.description, m.state, m.dueOn, created, now, closedAt)
    .first<{ id: number }>();
  const made = row ? await getMilestone(db, m.repoId, Number(row.id)) : null;
  if (!made) throw new Error('milestone insert returned nothing');
  return made;
}

export interface MilestoneChanges {
  title?: string;
  description?: string;
  state?: MilestoneState;
  /** null clears the due date. */
  dueOn?: string | null;
}

export async function updateMilestone(
  db: D1Database,
  repoId: number,
  id: number,
  ch: MilestoneChanges,
): Promise<void> {
  const now = new Date().toISOString();
  const sets = [`"updated_at" = ?`];
  const args: (string | number | null)[] = [now];
  for (const [column, value] of [
    ['title', ch.title],
    ['description', ch.description],
    ['due_on', ch.dueOn],
  ] as const) {
    if (value === undefined) continue;
    sets.push(`"${column}" = ?`);
    args.push(value);
  }
  if (ch.state !== undefined) {
    // closed_at keeps its first value while the state does not change.
    sets.push(
      `"closed_at" = case when ? = 'closed' then coalesce(case when "state" = 'closed' then "closed_at" end, ?) end`,
      `"state" = ?`,
    );
    args.push(ch.state, now, ch.state);
  }
  await db
    .prepare(`update "milestone" set ${sets.join(', ')} where "repo_id" = ? and "id" = ?`)
    .bind(...args, repoId, id)
    .run();
}

export async function deleteMilestone(db: D1Database, repoId: number, id: number): Promise<void> {
  await db.prepare(`delete from "milestone" where "repo_id" = ? and "id" = ?`).bind(repoId, id).run();
}

/** The milestones of these ids (for issue JSON), by id. */
export async function milestonesByIds(db: D1Database, ids: number[]): Promise<Map<number, MilestoneRecord>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const { results } = await db
    .prepare(`${SELECT} where m."id" in ${IN_LIST}`)
    .bind(listArg(unique))
    .all<Row>();
  return new Map(results.map((r) => [Number(r.id), toMilestone(r)]));
}
