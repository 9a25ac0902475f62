// Scheduled auto-merges (table `pull_auto_merge`): at most one per pull request.
import { loginSql } from './users';

export interface AutoMergeRecord {
  readonly issueId: number;
  readonly repoId: number;
  readonly doerId: number;
  readonly doer: string | null;
  readonly style: string;
  readonly title: string | null;
  readonly message: string | null;
  readonly deleteBranch: boolean;
  readonly createdAt: string;
}

interface Row {
  issue_id: number;
  repo_id: number;
  doer_id: number;
  doer_login: string | null;
  merge_style: string;
  title: string | null;
  message: string | null;
  delete_branch: number;
  created_at: string;
}

const SELECT = `select a."issue_id", a."repo_id", a."doer_id", ${loginSql('u')} as doer_login, a."merge_style",
  a."title", a."message", a."delete_branch", a."created_at"
  from "pull_auto_merge" a left join "user" u on u."id" = a."doer_id"`;

function toRecord(r: Row): AutoMergeRecord {
  return {
    issueId: Number(r.issue_id),
    repoId: Number(r.repo_id),
    doerId: Number(r.doer_id),
    doer: r.doer_login,
    style: r.merge_style,
    title: r.title,
    message: r.message,
    deleteBranch: r.delete_branch === 1,
    createdAt: r.created_at,
  };
}

export type NewAutoMerge = Omit<AutoMergeRecord, 'doer' | 'createdAt'>;

/** Schedules the merge; 'exists' when the pull request already has one (Gitea answers 409). */
export async function scheduleAutoMerge(db: D1Database, a: NewAutoMerge): Promise<'scheduled' | 'exists'> {
  const { meta } = await db
    .prepare(
      `insert into "pull_auto_merge" ("issue_id", "repo_id", "doer_id", "merge_style", "title", "message", "delete_branch", "created_at")
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict ("issue_id") do nothing`,
    )
    .bind(
      a.issueId,
      a.repoId,
      a.doerId,
      a.style,
      a.title,
      a.message,
      a.deleteBranch ? 1 : 0,
      new Date().toISOString(),
    )
    .run();
  return meta.changes > 0 ? 'scheduled' : 'exists';
}

export async function findAutoMerge(db: D1Database, issueId: number): Promise<AutoMergeRecord | null> {
  const row = await db.prepare(`${SELECT} where a."issue_id" = ?`).bind(issueId).first<Row>();
  return row ? toRecord(row) : null;
}

/** The repository's schedules, oldest first. */
export async function listAutoMerges(db: D1Database, repoId: number): Promise<AutoMergeRecord[]> {
  const { results } = await db
    .prepare(`${SELECT} where a."repo_id" = ? order by a."created_at", a."issue_id"`)
    .bind(repoId)
    .all<Row>();
  return results.map(toRecord);
}

/**
 * Removes the schedule and answers whether this call removed it: of two triggers racing for the
 * same pull request, only the one that claims it merges.
 */
export async function claimAutoMerge(db: D1Database, issueId: number): Promise<boolean> {
  const { meta } = await db.prepare(`delete from "pull_auto_merge" where "issue_id" = ?`).bind(issueId).run();
  return meta.changes > 0;
}
