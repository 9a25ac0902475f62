// Git LFS objects (which a repository holds, stored in R2) and file locks.
import { loginSql } from './users';

/** The sizes of those of `oids` the repository holds, by oid. */
export async function findLfsObjects(
  db: D1Database,
  repoId: number,
  oids: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < oids.length; i += 90) {
    const batch = oids.slice(i, i + 90);
    const marks = batch.map((_, j) => `?${j + 2}`).join(', ');
    const { results } = await db
      .prepare(`select "oid", "size" from "lfs_object" where "repo_id" = ?1 and "oid" in (${marks})`)
      .bind(repoId, ...batch)
      .all<{ oid: string; size: number }>();
    for (const r of results) found.set(r.oid, Number(r.size));
  }
  return found;
}

/** Records an object whose bytes are stored and checked. */
export async function insertLfsObject(
  db: D1Database,
  repoId: number,
  oid: string,
  size: number,
): Promise<void> {
  await db
    .prepare(
      `insert into "lfs_object" ("repo_id", "oid", "size", "created_at") values (?, ?, ?, ?)
       on conflict do nothing`,
    )
    .bind(repoId, oid, size, new Date().toISOString())
    .run();
}

/** The bytes of LFS objects the repository holds. */
export async function lfsBytes(db: D1Database, repoId: number): Promise<number> {
  const r = await db
    .prepare(`select coalesce(sum("size"), 0) as total from "lfs_object" where "repo_id" = ?`)
    .bind(repoId)
    .first<{ total: number }>();
  return Number(r?.total ?? 0);
}

export interface LfsLock {
  id: number;
  path: string;
  ownerId: number;
  owner: string;
  lockedAt: string;
}

interface LockRow {
  id: number;
  path: string;
  owner_id: number;
  owner_login: string;
  locked_at: string;
}

const SELECT_LOCK = `select l."id", l."path", l."owner_id", ${loginSql('u')} as owner_login, l."locked_at"
  from "lfs_lock" l join "user" u on u."id" = l."owner_id"`;

function toLock(r: LockRow): LfsLock {
  return {
    id: Number(r.id),
    path: r.path,
    ownerId: Number(r.owner_id),
    owner: r.owner_login,
    lockedAt: r.locked_at,
  };
}

/** Locks the path for the user; null when the path is already locked. */
export async function insertLfsLock(
  db: D1Database,
  repoId: number,
  path: string,
  ownerId: number,
  ref: string | null,
): Promise<LfsLock | null> {
  const r = await db
    .prepare(
      `insert into "lfs_lock" ("repo_id", "path", "owner_id", "ref", "locked_at") values (?, ?, ?, ?, ?)
       on conflict do nothing returning "id"`,
    )
    .bind(repoId, path, ownerId, ref, new Date().toISOString())
    .first<{ id: number }>();
  return r ? findLfsLock(db, repoId, { id: Number(r.id) }) : null;
}

export async function findLfsLock(
  db: D1Database,
  repoId: number,
  by: { id: number } | { path: string },
): Promise<LfsLock | null> {
  const [column, value] = 'id' in by ? ['id', by.id] : ['path', by.path];
  const r = await db
    .prepare(`${SELECT_LOCK} where l."repo_id" = ? and l."${column}" = ?`)
    .bind(repoId, value)
    .first<LockRow>();
  return r ? toLock(r) : null;
}

/** Locks in id order after `afterId`, at most `limit`, optionally only the one on `path`. */
export async function listLfsLocks(
  db: D1Database,
  repoId: number,
  opts: { afterId: number; limit: number; path?: string },
): Promise<LfsLock[]> {
  const { results } = await db
    .prepare(
      `${SELECT_LOCK} where l."repo_id" = ?1 and l."id" > ?2 and (?3 is null or l."path" = ?3)
       order by l."id" limit ?4`,
    )
    .bind(repoId, opts.afterId, opts.path ?? null, opts.limit)
    .all<LockRow>();
  return results.map(toLock);
}

export async function deleteLfsLock(db: D1Database, repoId: number, id: number): Promise<boolean> {
  const r = await db
    .prepare(`delete from "lfs_lock" where "repo_id" = ? and "id" = ?`)
    .bind(repoId, id)
    .run();
  return (r.meta.changes ?? 0) > 0;
}
