// Issues and pull requests (one table, `is_pull`), numbered per repository from one sequence.
import { type AssigneeRecord, assigneesOfIssues, replaceAssigneesStatements } from './issue-assignees';
import { type LabelRecord, labelsOfIssues, replaceIssueLabelsStatements } from './labels';
import { type MilestoneRecord, milestonesByIds } from './milestones';
import { IN_LIST, listArg } from './sql-list';
import { loginSql } from './users';

export type IssueState = 'open' | 'closed';

export interface IssueRecord {
  id: number;
  repoId: number;
  number: number;
  isPull: boolean;
  authorId: number | null;
  /** The author's login; null when the account is gone. */
  author: string | null;
  title: string;
  body: string;
  state: IssueState;
  commentCount: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  labels: LabelRecord[];
  assignees: AssigneeRecord[];
  milestone: MilestoneRecord | null;
}

interface IssueRow {
  id: number;
  repo_id: number;
  number: number;
  is_pull: number;
  author_id: number | null;
  author_login: string | null;
  title: string;
  body: string;
  state: IssueState;
  comment_count: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  milestone_id: number | null;
}

const SELECT = `select i."id", i."repo_id", i."number", i."is_pull", i."author_id",
  ${loginSql('u')} as author_login, i."title", i."body", i."state",
  (select count(*) from "issue_comment" c where c."issue_id" = i."id") as comment_count,
  i."created_at", i."updated_at", i."closed_at", i."milestone_id"
  from "issue" i left join "user" u on u."id" = i."author_id"`;

async function withRelations(db: D1Database, rows: IssueRow[]): Promise<IssueRecord[]> {
  const ids = rows.map((r) => Number(r.id));
  const [labels, assignees, milestones] = await Promise.all([
    labelsOfIssues(db, ids),
    assigneesOfIssues(db, ids),
    milestonesByIds(
      db,
      rows.flatMap((r) => (r.milestone_id === null ? [] : [Number(r.milestone_id)])),
    ),
  ]);
  return rows.map((r) => ({
    id: Number(r.id),
    repoId: Number(r.repo_id),
    number: Number(r.number),
    isPull: !!r.is_pull,
    authorId: r.author_id === null ? null : Number(r.author_id),
    author: r.author_login,
    title: r.title,
    body: r.body,
    state: r.state,
    commentCount: Number(r.comment_count),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    labels: labels.get(Number(r.id)) ?? [],
    assignees: assignees.get(Number(r.id)) ?? [],
    milestone: r.milestone_id === null ? null : (milestones.get(Number(r.milestone_id)) ?? null),
  }));
}

export interface NewIssue {
  repoId: number;
  authorId: number;
  title: string;
  body: string;
  isPull: boolean;
  /** Label ids of the repository (checked by the caller). */
  labelIds?: number[];
  /** User ids that may be assigned (checked by the caller). */
  assigneeIds?: number[];
  /** A milestone of the repository (checked by the caller). */
  milestoneId?: number | null;
}

/**
 * Creates an issue or a pull request with the repository's next number. The counter bump, the
 * insert and its labels and assignees run as one batch (one transaction): concurrent creations
 * get distinct numbers, and a failure leaves nothing behind.
 */
export async function createIssue(db: D1Database, issue: NewIssue): Promise<{ id: number; number: number }> {
  const now = new Date().toISOString();
  const current = `(select "last_number" from "issue_counter" where "repo_id" = ?)`;
  const newId = `(select "id" from "issue" where "repo_id" = ? and "number" = ${current})`;
  const results = await db.batch([
    db
      .prepare(
        `insert into "issue_counter" ("repo_id", "last_number") values (?, 1)
         on conflict ("repo_id") do update set "last_number" = "last_number" + 1`,
      )
      .bind(issue.repoId),
    db
      .prepare(
        `insert into "issue" ("repo_id", "number", "is_pull", "author_id", "title", "body", "state", "created_at", "updated_at", "milestone_id")
         values (?, ${current}, ?, ?, ?, ?, 'open', ?, ?, ?) returning "id", "number"`,
      )
      .bind(
        issue.repoId,
        issue.repoId,
        issue.isPull ? 1 : 0,
        issue.authorId,
        issue.title,
        issue.body,
        now,
        now,
        issue.milestoneId ?? null,
      ),
    ...(issue.labelIds ?? []).map((labelId) =>
      db
        .prepare(`insert into "issue_label" ("issue_id", "label_id") values (${newId}, ?)`)
        .bind(issue.repoId, issue.repoId, labelId),
    ),
    ...(issue.assigneeIds ?? []).map((userId) =>
      db
        .prepare(`insert into "issue_assignee" ("issue_id", "user_id") values (${newId}, ?)`)
        .bind(issue.repoId, issue.repoId, userId),
    ),
  ]);
  const row = (results[1].results as { id: number; number: number }[])[0];
  return { id: Number(row.id), number: Number(row.number) };
}

export async function getIssueByNumber(
  db: D1Database,
  repoId: number,
  number: number,
): Promise<IssueRecord | null> {
  const r = await db
    .prepare(`${SELECT} where i."repo_id" = ? and i."number" = ?`)
    .bind(repoId, number)
    .first<IssueRow>();
  return r ? (await withRelations(db, [r]))[0] : null;
}

export async function getIssueById(db: D1Database, id: number): Promise<IssueRecord | null> {
  const r = await db.prepare(`${SELECT} where i."id" = ?`).bind(id).first<IssueRow>();
  return r ? (await withRelations(db, [r]))[0] : null;
}

/** Which of the numbers exist in the repository, and whether each is a pull request. */
export async function findIssueKinds(
  db: D1Database,
  repoId: number,
  numbers: number[],
): Promise<Map<number, 'issue' | 'pull'>> {
  const out = new Map<number, 'issue' | 'pull'>();
  if (numbers.length === 0) return out;
  const { results } = await db
    .prepare(`select "number", "is_pull" from "issue" where "repo_id" = ? and "number" in ${IN_LIST}`)
    .bind(repoId, listArg(numbers))
    .all<{ number: number; is_pull: number }>();
  for (const r of results) out.set(Number(r.number), r.is_pull ? 'pull' : 'issue');
  return out;
}

export interface IssueFilter {
  state: IssueState | 'all';
  /** true: pull requests only; false: issues only; undefined: both. */
  isPull?: boolean;
  /** Issues carrying every one of these labels. */
  labelIds?: number[];
  authorId?: number;
  assigneeId?: number;
  /** Issues in any of these milestones; 0 stands for "no milestone" (Gitea's `none`). */
  milestoneIds?: number[];
  /** Text in the title or body, without regard to case. */
  q?: string;
  /** Pull requests from / into this branch. */
  headBranch?: string;
  baseBranch?: string;
  /** Gitea's `sort=recentupdate`: most recently updated first (else newest number first). */
  recentUpdate?: boolean;
  limit: number;
  offset: number;
}

/** One page of the repository's issues, newest first, and how many match in all. */
export function listIssues(
  db: D1Database,
  repoId: number,
  f: IssueFilter,
): Promise<{ issues: IssueRecord[]; total: number }> {
  return queryIssues(db, { sql: `i."repo_id" = ?`, args: [repoId] }, f);
}

/** Issue search across repositories: by label and milestone names, as the ids differ per repository. */
export interface IssueSearch extends IssueFilter {
  labelNames?: string[];
  milestoneTitles?: string[];
}

/** One page of the issues of these repositories (most recently updated first) and the total. */
export function searchIssues(
  db: D1Database,
  repoIds: number[],
  f: IssueSearch,
): Promise<{ issues: IssueRecord[]; total: number }> {
  if (repoIds.length === 0) return Promise.resolve({ issues: [], total: 0 });
  const where = [`i."repo_id" in ${IN_LIST}`];
  const args: (string | number)[] = [listArg(repoIds)];
  for (const name of f.labelNames ?? []) {
    where.push(`exists (select 1 from "issue_label" il join "label" l on l."id" = il."label_id"
      where il."issue_id" = i."id" and lower(l."name") = lower(?))`);
    args.push(name);
  }
  const titles = f.milestoneTitles ?? [];
  if (titles.length > 0) {
    where.push(`exists (select 1 from "milestone" m where m."id" = i."milestone_id"
      and lower(m."title") in (${titles.map(() => 'lower(?)').join(', ')}))`);
    args.push(...titles);
  }
  return queryIssues(db, { sql: where.join(' and '), args }, { ...f, recentUpdate: true });
}

async function queryIssues(
  db: D1Database,
  scope: { sql: string; args: (string | number)[] },
  f: IssueFilter,
): Promise<{ issues: IssueRecord[]; total: number }> {
  const where = [scope.sql];
  const args: (string | number)[] = [...scope.args];
  if (f.state !== 'all') {
    where.push(`i."state" = ?`);
    args.push(f.state);
  }
  if (f.isPull !== undefined) {
    where.push(`i."is_pull" = ?`);
    args.push(f.isPull ? 1 : 0);
  }
  if (f.authorId !== undefined) {
    where.push(`i."author_id" = ?`);
    args.push(f.authorId);
  }
  if (f.assigneeId !== undefined) {
    where.push(`exists (select 1 from "issue_assignee" a where a."issue_id" = i."id" and a."user_id" = ?)`);
    args.push(f.assigneeId);
  }
  if (f.milestoneIds !== undefined && f.milestoneIds.length > 0) {
    const ids = f.milestoneIds.filter((id) => id !== 0);
    const parts = ids.length > 0 ? [`i."milestone_id" in ${IN_LIST}`] : [];
    if (f.milestoneIds.includes(0)) parts.push(`i."milestone_id" is null`);
    where.push(`(${parts.join(' or ')})`);
    if (ids.length > 0) args.push(listArg(ids));
  }
  if (f.q) {
    where.push(`(instr(lower(i."title"), lower(?)) > 0 or instr(lower(i."body"), lower(?)) > 0)`);
    args.push(f.q, f.q);
  }
  for (const [column, branch] of [
    ['head_branch', f.headBranch],
    ['base_branch', f.baseBranch],
  ] as const) {
    if (branch === undefined) continue;
    where.push(`exists (select 1 from "pull_request" p where p."issue_id" = i."id" and p."${column}" = ?)`);
    args.push(branch);
  }
  const labelIds = [...new Set(f.labelIds ?? [])];
  if (labelIds.length > 0) {
    where.push(
      `(select count(*) from "issue_label" il where il."issue_id" = i."id" and il."label_id" in ${IN_LIST}) = ?`,
    );
    args.push(listArg(labelIds), labelIds.length);
  }
  const clause = where.join(' and ');
  const [page, count] = await db.batch([
    db
      .prepare(
        `${SELECT} where ${clause} order by ${f.recentUpdate ? 'i."updated_at" desc, ' : ''}i."number" desc limit ? offset ?`,
      )
      .bind(...args, f.limit, f.offset),
    db.prepare(`select count(*) as n from "issue" i where ${clause}`).bind(...args),
  ]);
  const total = Number((count.results as { n: number }[])[0]?.n ?? 0);
  return { issues: await withRelations(db, page.results as IssueRow[]), total };
}

export interface IssueChanges {
  title?: string;
  body?: string;
  state?: IssueState;
  /** Replaces the labels (ids checked by the caller). */
  labelIds?: number[];
  /** Replaces the assignees (ids checked by the caller). */
  assigneeIds?: number[];
  /** A milestone of the repository (checked by the caller); null removes it. */
  milestoneId?: number | null;
}

/** Applies all changes in one batch (all or nothing). Closing sets closed_at; reopening clears it. */
export async function updateIssue(db: D1Database, issueId: number, ch: IssueChanges): Promise<void> {
  const now = new Date().toISOString();
  const sets = [`"updated_at" = ?`];
  const args: (string | number | null)[] = [now];
  if (ch.title !== undefined) {
    sets.push(`"title" = ?`);
    args.push(ch.title);
  }
  if (ch.body !== undefined) {
    sets.push(`"body" = ?`);
    args.push(ch.body);
  }
  if (ch.milestoneId !== undefined) {
    sets.push(`"milestone_id" = ?`);
    args.push(ch.milestoneId);
  }
  if (ch.state !== undefined) {
    // closed_at keeps its first value while the state does not change.
    sets.push(
      `"closed_at" = case when ? = 'closed' then coalesce(case when "state" = 'closed' then "closed_at" end, ?) end`,
    );
    args.push(ch.state, now);
    sets.push(`"state" = ?`);
    args.push(ch.state);
  }
  await db.batch([
    db.prepare(`update "issue" set ${sets.join(', ')} where "id" = ?`).bind(...args, issueId),
    ...(ch.labelIds !== undefined ? replaceIssueLabelsStatements(db, issueId, ch.labelIds) : []),
    ...(ch.assigneeIds !== undefined ? replaceAssigneesStatements(db, issueId, ch.assigneeIds) : []),
  ]);
}
