// Pull requests: the `pull_request` row beside the issue row that numbers and titles them.
import { createIssue, getIssueByNumber, type IssueFilter, type IssueRecord, listIssues } from './issues';
import { loginSql } from './users';

/** 'unknown': the check went past its bounds (storage/merge.ts says why). */
export type MergeableStatus = 'mergeable' | 'conflict' | 'up_to_date' | 'unrelated' | 'missing' | 'unknown';

export interface PullRow {
  headBranch: string;
  /** The fork the head branch lives in; null for a branch of this repository. */
  headRepoId: number | null;
  baseBranch: string;
  headSha: string;
  baseSha: string;
  mergeBase: string | null;
  mergeable: MergeableStatus;
  conflicts: string[];
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeStyle: string | null;
  mergeCommitSha: string | null;
}

export interface PullRecord extends PullRow {
  issue: IssueRecord;
}

interface Row {
  issue_id: number;
  head_branch: string;
  head_repo_id: number | null;
  base_branch: string;
  head_sha: string;
  base_sha: string;
  merge_base: string | null;
  mergeable: MergeableStatus;
  conflicts: string;
  merged: number;
  merged_at: string | null;
  merged_by_login: string | null;
  merge_style: string | null;
  merge_commit_sha: string | null;
}

const SELECT = `select p."issue_id", p."head_branch", p."head_repo_id", p."base_branch", p."head_sha", p."base_sha", p."merge_base",
  p."mergeable", p."conflicts", p."merged", p."merged_at", ${loginSql('u')} as merged_by_login,
  p."merge_style", p."merge_commit_sha"
  from "pull_request" p left join "user" u on u."id" = p."merged_by"`;

function parsePaths(s: string): string[] {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch (e) {
    // A row written by hand or by an older version: show no paths rather than fail the page.
    if (e instanceof SyntaxError) return [];
    throw e;
  }
}

function toPull(r: Row): PullRow {
  return {
    headBranch: r.head_branch,
    headRepoId: r.head_repo_id === null ? null : Number(r.head_repo_id),
    baseBranch: r.base_branch,
    headSha: r.head_sha,
    baseSha: r.base_sha,
    mergeBase: r.merge_base,
    mergeable: r.mergeable,
    conflicts: parsePaths(r.conflicts),
    merged: !!r.merged,
    mergedAt: r.merged_at,
    mergedBy: r.merged_by_login,
    mergeStyle: r.merge_style,
    mergeCommitSha: r.merge_commit_sha,
  };
}

export interface NewPull {
  repoId: number;
  authorId: number;
  title: string;
  body: string;
  headBranch: string;
  baseBranch: string;
  headSha: string;
  baseSha: string;
  mergeBase: string | null;
  mergeable: MergeableStatus;
  conflicts: string[];
  labelIds?: number[];
  assigneeIds?: number[];
  milestoneId?: number | null;
  /** A fork's branch: the fork (see PullRow.headRepoId). */
  headRepoId?: number | null;
}

/** Creates the issue (next number of the repository) and then its pull-request row. */
export async function createPull(db: D1Database, p: NewPull): Promise<{ id: number; number: number }> {
  const created = await createIssue(db, {
    repoId: p.repoId,
    authorId: p.authorId,
    title: p.title,
    body: p.body,
    isPull: true,
    labelIds: p.labelIds,
    assigneeIds: p.assigneeIds,
    milestoneId: p.milestoneId,
  });
  try {
    await db
      .prepare(
        `insert into "pull_request" ("issue_id", "repo_id", "head_branch", "base_branch", "head_sha", "base_sha", "merge_base", "mergeable", "conflicts", "head_repo_id")
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        created.id,
        p.repoId,
        p.headBranch,
        p.baseBranch,
        p.headSha,
        p.baseSha,
        p.mergeBase,
        p.mergeable,
        JSON.stringify(p.conflicts),
        p.headRepoId ?? null,
      )
      .run();
  } catch (e) {
    // Two statements, two transactions (createIssue owns its batch): undo the issue row.
    await db.prepare(`delete from "issue" where "id" = ?`).bind(created.id).run();
    throw e;
  }
  return created;
}

async function pullRows(db: D1Database, issueIds: number[]): Promise<Map<number, PullRow>> {
  const out = new Map<number, PullRow>();
  if (issueIds.length === 0) return out;
  const { results } = await db
    .prepare(`${SELECT} where p."issue_id" in (${issueIds.map(() => '?').join(', ')})`)
    .bind(...issueIds)
    .all<Row>();
  for (const r of results) out.set(Number(r.issue_id), toPull(r));
  return out;
}

export async function getPullByNumber(
  db: D1Database,
  repoId: number,
  number: number,
): Promise<PullRecord | null> {
  const issue = await getIssueByNumber(db, repoId, number);
  if (!issue?.isPull) return null;
  const row = (await pullRows(db, [issue.id])).get(issue.id);
  return row ? { ...row, issue } : null;
}

export async function listPulls(
  db: D1Database,
  repoId: number,
  f: Omit<IssueFilter, 'isPull'>,
): Promise<{ pulls: PullRecord[]; total: number }> {
  const { issues, total } = await listIssues(db, repoId, { ...f, isPull: true });
  const rows = await pullRows(
    db,
    issues.map((i) => i.id),
  );
  const pulls: PullRecord[] = [];
  for (const issue of issues) {
    const row = rows.get(issue.id);
    if (row) pulls.push({ ...row, issue });
  }
  return { pulls, total };
}

/** An open pull request from `head` into `base`, if there is one (only one may be open). */
export async function findOpenPull(
  db: D1Database,
  repoId: number,
  head: string,
  base: string,
  headRepoId: number | null = null,
): Promise<number | null> {
  const r = await db
    .prepare(
      `select i."number" from "pull_request" p join "issue" i on i."id" = p."issue_id"
       where p."repo_id" = ? and p."head_branch" = ? and p."base_branch" = ? and i."state" = 'open'
       and coalesce(p."head_repo_id", 0) = ? limit 1`,
    )
    .bind(repoId, head, base, headRepoId ?? 0)
    .first<{ number: number }>();
  return r ? Number(r.number) : null;
}

/** What the branches look like now (recomputed on read when a branch moved). */
export async function updatePullState(
  db: D1Database,
  issueId: number,
  s: {
    headSha: string;
    baseSha: string;
    mergeBase: string | null;
    mergeable: MergeableStatus;
    conflicts: string[];
  },
): Promise<void> {
  await db
    .prepare(
      `update "pull_request" set "head_sha" = ?, "base_sha" = ?, "merge_base" = ?, "mergeable" = ?, "conflicts" = ?
       where "issue_id" = ? and "merged" = 0`,
    )
    .bind(s.headSha, s.baseSha, s.mergeBase, s.mergeable, JSON.stringify(s.conflicts), issueId)
    .run();
}

/** Records the merge and closes the issue, in one batch. */
export async function markMerged(
  db: D1Database,
  issueId: number,
  m: {
    by: number;
    style: string;
    headSha: string;
    baseSha: string;
    mergeBase: string | null;
    commitSha: string;
  },
): Promise<void> {
  const now = new Date().toISOString();
  await db.batch([
    db
      .prepare(
        `update "pull_request" set "merged" = 1, "merged_at" = ?, "merged_by" = ?, "merge_style" = ?, "head_sha" = ?,
         "base_sha" = ?, "merge_base" = ?, "merge_commit_sha" = ?, "mergeable" = 'up_to_date', "conflicts" = '[]'
         where "issue_id" = ?`,
      )
      .bind(now, m.by, m.style, m.headSha, m.baseSha, m.mergeBase, m.commitSha, issueId),
    db
      .prepare(
        `update "issue" set "state" = 'closed', "closed_at" = coalesce("closed_at", ?), "updated_at" = ? where "id" = ?`,
      )
      .bind(now, now, issueId),
  ]);
}

/** The numbers of the open pull requests whose head is `head` of this repository (a push to it
 * synchronizes them); a fork's branch of the same name is another head. */
export async function openPullsWithHead(db: D1Database, repoId: number, head: string): Promise<number[]> {
  const { results } = await db
    .prepare(
      `select i."number" from "pull_request" p join "issue" i on i."id" = p."issue_id"
       where p."repo_id" = ? and p."head_branch" = ? and p."head_repo_id" is null and i."state" = 'open'
       order by i."number"`,
    )
    .bind(repoId, head)
    .all<{ number: number }>();
  return results.map((r) => Number(r.number));
}

/** The open pull requests, in other repositories, whose head is a branch of the fork `forkId`
 * (one indexed query per push to any repository: most answer none). */
export async function openPullsFromFork(
  db: D1Database,
  forkId: number,
): Promise<{ repoId: number; number: number; branch: string }[]> {
  const { results } = await db
    .prepare(
      `select p."repo_id", i."number", p."head_branch" from "pull_request" p join "issue" i on i."id" = p."issue_id"
       where p."head_repo_id" = ? and i."state" = 'open' order by p."repo_id", i."number"`,
    )
    .bind(forkId)
    .all<{ repo_id: number; number: number; head_branch: string }>();
  return results.map((r) => ({ repoId: Number(r.repo_id), number: Number(r.number), branch: r.head_branch }));
}
