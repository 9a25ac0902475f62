// Comments on issues and pull requests.
import { loginSql } from './users';

export interface CommentRecord {
  id: number;
  issueId: number;
  issueNumber: number;
  repoId: number;
  authorId: number | null;
  /** The author's login; null when the account is gone. */
  author: string | null;
  body: string;
  createdAt: string;
  updatedAt: string;
}

interface CommentRow {
  id: number;
  issue_id: number;
  issue_number: number;
  repo_id: number;
  author_id: number | null;
  author_login: string | null;
  body: string;
  created_at: string;
  updated_at: string;
}

const SELECT = `select c."id", c."issue_id", i."number" as issue_number, i."repo_id", c."author_id",
  ${loginSql('u')} as author_login, c."body", c."created_at", c."updated_at"
  from "issue_comment" c join "issue" i on i."id" = c."issue_id" left join "user" u on u."id" = c."author_id"`;

function toComment(r: CommentRow): CommentRecord {
  return {
    id: Number(r.id),
    issueId: Number(r.issue_id),
    issueNumber: Number(r.issue_number),
    repoId: Number(r.repo_id),
    authorId: r.author_id === null ? null : Number(r.author_id),
    author: r.author_login,
    body: r.body,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Adds a comment and touches the issue, in one batch. */
export async function createComment(
  db: D1Database,
  c: { issueId: number; authorId: number; body: string },
): Promise<CommentRecord> {
  const now = new Date().toISOString();
  const [inserted] = await db.batch([
    db
      .prepare(
        `insert into "issue_comment" ("issue_id", "author_id", "body", "created_at", "updated_at") values (?, ?, ?, ?, ?) returning "id"`,
      )
      .bind(c.issueId, c.authorId, c.body, now, now),
    db.prepare(`update "issue" set "updated_at" = ? where "id" = ?`).bind(now, c.issueId),
  ]);
  const id = Number((inserted.results as { id: number }[])[0].id);
  const created = await getComment(db, id);
  if (!created) throw new Error(`comment ${id} vanished right after its insert`);
  return created;
}

export async function getComment(db: D1Database, id: number): Promise<CommentRecord | null> {
  const r = await db.prepare(`${SELECT} where c."id" = ?`).bind(id).first<CommentRow>();
  return r ? toComment(r) : null;
}

/** The comment if it belongs to one of the repository's issues. */
export async function getRepoComment(
  db: D1Database,
  repoId: number,
  id: number,
): Promise<CommentRecord | null> {
  const r = await db
    .prepare(`${SELECT} where c."id" = ? and i."repo_id" = ?`)
    .bind(id, repoId)
    .first<CommentRow>();
  return r ? toComment(r) : null;
}

/** An issue's comments, oldest first. */
export async function listComments(
  db: D1Database,
  issueId: number,
  page: { limit: number; offset: number },
): Promise<CommentRecord[]> {
  const { results } = await db
    .prepare(`${SELECT} where c."issue_id" = ? order by c."id" limit ? offset ?`)
    .bind(issueId, page.limit, page.offset)
    .all<CommentRow>();
  return results.map(toComment);
}

export async function updateComment(db: D1Database, id: number, body: string): Promise<void> {
  await db
    .prepare(`update "issue_comment" set "body" = ?, "updated_at" = ? where "id" = ?`)
    .bind(body, new Date().toISOString(), id)
    .run();
}

export async function deleteComment(db: D1Database, id: number): Promise<void> {
  await db.prepare(`delete from "issue_comment" where "id" = ?`).bind(id).run();
}
