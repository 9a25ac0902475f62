// Migrations and pull mirrors: where a repository is fetched from and how the last fetch went.

export type MirrorStatus = 'running' | 'failed' | 'done';

export interface MirrorRecord {
  repoId: number;
  /** The source URL, without credentials. */
  cloneAddr: string;
  /** Sealed credentials (see services/outbound/sealed.ts); never shown. */
  credentials: string | null;
  mirror: boolean;
  intervalSeconds: number;
  status: MirrorStatus;
  error: string | null;
  lastSyncAt: string | null;
}

interface MirrorRow {
  repo_id: number;
  clone_addr: string;
  credentials: string | null;
  mirror: number;
  interval_seconds: number;
  status: MirrorStatus;
  error: string | null;
  last_sync_at: string | null;
}

function toRecord(r: MirrorRow): MirrorRecord {
  return {
    repoId: Number(r.repo_id),
    cloneAddr: r.clone_addr,
    credentials: r.credentials,
    mirror: !!r.mirror,
    intervalSeconds: Number(r.interval_seconds),
    status: r.status,
    error: r.error,
    lastSyncAt: r.last_sync_at,
  };
}

export async function findMirror(db: D1Database, repoId: number): Promise<MirrorRecord | null> {
  return (await findMirrors(db, [repoId])).get(repoId) ?? null;
}

/** One repository's record as a statement, for a batch with other reads (one round trip). */
export function mirrorStatement(db: D1Database, repoId: number): D1PreparedStatement {
  return db.prepare('select * from "repo_mirror" where "repo_id" = ?').bind(repoId);
}

export function mirrorFromRows(rows: readonly unknown[]): MirrorRecord | null {
  return rows.length > 0 ? toRecord(rows[0] as MirrorRow) : null;
}

/** The records of those of `ids` that have one (a list of repositories: one query per 100). */
export async function findMirrors(
  db: D1Database,
  ids: readonly number[],
): Promise<Map<number, MirrorRecord>> {
  const out = new Map<number, MirrorRecord>();
  const unique = [...new Set(ids)];
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const { results } = await db
      .prepare(`select * from "repo_mirror" where "repo_id" in (${chunk.map(() => '?').join(', ')})`)
      .bind(...chunk)
      .all<MirrorRow>();
    for (const r of results) out.set(Number(r.repo_id), toRecord(r));
  }
  return out;
}

export async function insertMirror(
  db: D1Database,
  m: Pick<MirrorRecord, 'repoId' | 'cloneAddr' | 'credentials' | 'mirror' | 'intervalSeconds'>,
): Promise<void> {
  await db
    .prepare(
      `insert into "repo_mirror" ("repo_id", "clone_addr", "credentials", "mirror", "interval_seconds", "status", "created_at")
       values (?, ?, ?, ?, ?, 'running', ?)`,
    )
    .bind(m.repoId, m.cloneAddr, m.credentials, m.mirror ? 1 : 0, m.intervalSeconds, new Date().toISOString())
    .run();
}

/**
 * Records a fetch's outcome. A repository once complete stays 'done' (a failed sync of a mirror
 * leaves the last good copy, with the error); a migration that succeeded forgets its credentials
 * unless it is a mirror, and stays 'running' while an import is still to follow the git data.
 */
export async function recordFetch(
  db: D1Database,
  repoId: number,
  outcome: { status: 'done' | 'failed'; error?: string; importPending?: boolean },
): Promise<void> {
  const done = outcome.status === 'done' ? 1 : 0;
  const status = done && outcome.importPending ? 'running' : outcome.status;
  await db
    .prepare(
      `update "repo_mirror" set "status" = case when "status" = 'done' then 'done' else ?2 end,
       "error" = ?3,
       "last_sync_at" = case when ?4 then ?5 else "last_sync_at" end,
       "credentials" = case when ?4 and "mirror" = 0 then null else "credentials" end
       where "repo_id" = ?1`,
    )
    .bind(repoId, status, outcome.error ?? null, done, new Date().toISOString())
    .run();
}

/** A failed migration is tried again. */
export async function markRetrying(db: D1Database, repoId: number): Promise<void> {
  await db
    .prepare(
      `update "repo_mirror" set "status" = 'running', "error" = null where "repo_id" = ? and "status" = 'failed'`,
    )
    .bind(repoId)
    .run();
}

/** A pull mirror's new sync interval (0: on demand only). */
export async function setMirrorInterval(db: D1Database, repoId: number, seconds: number): Promise<void> {
  await db
    .prepare(`update "repo_mirror" set "interval_seconds" = ? where "repo_id" = ? and "mirror" = 1`)
    .bind(seconds, repoId)
    .run();
}
