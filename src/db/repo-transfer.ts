// Moving a repository to another owner (a user or an organization), and the old names it keeps
// answering at. The repository keeps its id, hence its Durable Object, issues and pull requests.

/**
 * Moves repository `repoId` (named `lowerName`, owned by `fromId`) to `toId` in one transaction:
 * the old owner/name becomes a redirect, the old organization's teams lose it, and a redirect of
 * the new owner under the same name goes (the name is taken now). 'conflict' (nothing changed)
 * when the new owner already has a repository of that name.
 */
export async function transferRepo(
  db: D1Database,
  repoId: number,
  fromId: number,
  lowerName: string,
  toId: number,
): Promise<'ok' | 'conflict'> {
  const moved = `exists (select 1 from "repository" where "id" = ?1 and "owner_id" = ?2)`;
  const [update] = await db.batch([
    db
      .prepare(
        `update "repository" set "owner_id" = ?2, "updated_at" = ?4 where "id" = ?1 and "owner_id" = ?3
         and not exists (select 1 from "repository" where "owner_id" = ?2 and "lower_name" = ?5)`,
      )
      .bind(repoId, toId, fromId, new Date().toISOString(), lowerName),
    db
      .prepare(
        `insert into "repo_redirect" ("owner_id", "lower_name", "repo_id") select ?3, ?4, ?1 where ${moved}
         on conflict ("owner_id", "lower_name") do update set "repo_id" = excluded."repo_id"`,
      )
      .bind(repoId, toId, fromId, lowerName),
    db.prepare(`delete from "team_repo" where "repo_id" = ?1 and ${moved}`).bind(repoId, toId),
    db
      .prepare(`delete from "repo_redirect" where "owner_id" = ?2 and "lower_name" = ?3 and ${moved}`)
      .bind(repoId, toId, lowerName),
  ]);
  return (update.meta.changes ?? 0) > 0 ? 'ok' : 'conflict';
}

/** The id of the repository that moved away from owner/name (owner as a lower-cased name). */
export async function redirectedRepoId(db: D1Database, ownerIdSql: string, owner: string, name: string) {
  const r = await db
    .prepare(`select "repo_id" from "repo_redirect" where "owner_id" = ${ownerIdSql} and "lower_name" = ?2`)
    .bind(owner.toLowerCase(), name.toLowerCase())
    .first<{ repo_id: number }>();
  return r ? Number(r.repo_id) : null;
}

/** A new repository takes the name: the owner's redirect of that name ends. */
export function endRedirectStatement(
  db: D1Database,
  ownerId: number,
  lowerName: string,
): D1PreparedStatement {
  return db
    .prepare(`delete from "repo_redirect" where "owner_id" = ? and "lower_name" = ?`)
    .bind(ownerId, lowerName);
}
