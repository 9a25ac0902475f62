// Commit statuses (table `commit_status`): what CI reports on a commit, per context.
import type { StatusState } from '../git/protect/rules';
import { loginSql } from './users';

export interface StatusRecord {
  readonly id: number;
  readonly sha: string;
  readonly state: StatusState;
  readonly context: string;
  readonly description: string;
  readonly targetUrl: string;
  readonly creator: string | null;
  readonly createdAt: string;
}

interface Row {
  id: number;
  sha: string;
  state: StatusState;
  context: string;
  description: string;
  target_url: string;
  creator_login: string | null;
  created_at: string;
}

const SELECT = `select s."id", s."sha", s."state", s."context", s."description", s."target_url",
  ${loginSql('u')} as creator_login, s."created_at"
  from "commit_status" s left join "user" u on u."id" = s."creator_id"`;

function toRecord(r: Row): StatusRecord {
  return {
    id: r.id,
    sha: r.sha,
    state: r.state,
    context: r.context,
    description: r.description,
    targetUrl: r.target_url,
    creator: r.creator_login,
    createdAt: r.created_at,
  };
}

export interface NewStatus {
  readonly sha: string;
  readonly state: StatusState;
  readonly context: string;
  readonly description: string;
  readonly targetUrl: string;
  readonly creatorId: number;
}

export async function insertStatus(db: D1Database, repoId: number, s: NewStatus): Promise<StatusRecord> {
  const row = await db
    .prepare(
      `insert into "commit_status" ("repo_id", "sha", "state", "context", "description", "target_url",
        "creator_id", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?) returning "id"`,
    )
    .bind(
      repoId,
      s.sha,
      s.state,
      s.context,
      s.description,
      s.targetUrl,
      s.creatorId,
      new Date().toISOString(),
    )
    .first<{ id: number }>();
  const created = await db
    .prepare(`${SELECT} where s."id" = ?`)
    .bind(row?.id ?? 0)
    .first<Row>();
  if (!created) throw new Error('the status just inserted is missing');
  return toRecord(created);
}

/** Every status of a commit, newest first, at most `limit` after `offset`. */
export async function listStatuses(
  db: D1Database,
  repoId: number,
  sha: string,
  page: { limit: number; offset: number },
): Promise<StatusRecord[]> {
  const { results } = await db
    .prepare(`${SELECT} where s."repo_id" = ? and s."sha" = ? order by s."id" desc limit ? offset ?`)
    .bind(repoId, sha, page.limit, page.offset)
    .all<Row>();
  return results.map(toRecord);
}

/** The latest status of each context on each of `shas`, by commit then context name. */
export async function latestStatuses(
  db: D1Database,
  repoId: number,
  shas: readonly string[],
): Promise<StatusRecord[]> {
  const out: StatusRecord[] = [];
  // D1 binds at most 100 parameters a statement.
  for (let i = 0; i < shas.length; i += 90) {
    const chunk = shas.slice(i, i + 90);
    const marks = chunk.map(() => '?').join(', ');
    const { results } = await db
      .prepare(
        `${SELECT} where s."id" in (select max("id") from "commit_status"
           where "repo_id" = ? and "sha" in (${marks}) group by "sha", "context")
         order by s."sha", s."context"`,
      )
      .bind(repoId, ...chunk)
      .all<Row>();
    out.push(...results.map(toRecord));
  }
  return out;
}
