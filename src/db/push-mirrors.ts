// Push mirrors: where a repository is pushed to, and how the last push went.

export interface PushMirrorRecord {
  id: number;
  repoId: number;
  remoteName: string;
  /** Without credentials. */
  remoteAddress: string;
  /** Sealed credentials (see services/outbound/sealed.ts); never shown. */
  credentials: string | null;
  intervalSeconds: number;
  syncOnCommit: boolean;
  createdAt: string;
  lastUpdate: string | null;
  lastError: string | null;
}

interface PushMirrorRow {
  id: number;
  repo_id: number;
  remote_name: string;
  remote_address: string;
  credentials: string | null;
  interval_seconds: number;
  sync_on_commit: number;
  created_at: string;
  last_update: string | null;
  last_error: string | null;
}

function toRecord(r: PushMirrorRow): PushMirrorRecord {
  return {
    id: Number(r.id),
    repoId: Number(r.repo_id),
    remoteName: r.remote_name,
    remoteAddress: r.remote_address,
    credentials: r.credentials,
    intervalSeconds: Number(r.interval_seconds),
    syncOnCommit: !!r.sync_on_commit,
    createdAt: r.created_at,
    lastUpdate: r.last_update,
    lastError: r.last_error,
  };
}

export async function listPushMirrors(db: D1Database, repoId: number): Promise<PushMirrorRecord[]> {
  const { results } = await db
    .prepare('select * from "push_mirror" where "repo_id" = ? order by "id"')
    .bind(repoId)
    .all<PushMirrorRow>();
  return results.map(toRecord);
}

export async function findPushMirror(
  db: D1Database,
  repoId: number,
  remoteName: string,
): Promise<PushMirrorRecord | null> {
  const r = await db
    .prepare('select * from "push_mirror" where "repo_id" = ? and "remote_name" = ?')
    .bind(repoId, remoteName)
    .first<PushMirrorRow>();
  return r ? toRecord(r) : null;
}

export async function insertPushMirror(
  db: D1Database,
  m: Pick<
    PushMirrorRecord,
    'repoId' | 'remoteName' | 'remoteAddress' | 'credentials' | 'intervalSeconds' | 'syncOnCommit'
  >,
): Promise<PushMirrorRecord> {
  const r = await db
    .prepare(
      `insert into "push_mirror" ("repo_id", "remote_name", "remote_address", "credentials", "interval_seconds", "sync_on_commit", "created_at")
       values (?, ?, ?, ?, ?, ?, ?) returning *`,
    )
    .bind(
      m.repoId,
      m.remoteName,
      m.remoteAddress,
      m.credentials,
      m.intervalSeconds,
      m.syncOnCommit ? 1 : 0,
      new Date().toISOString(),
    )
    .first<PushMirrorRow>();
  if (!r) throw new Error('push mirror insert returned nothing');
  return toRecord(r);
}

/** Whether a mirror of that name existed (and is now gone). */
export async function deletePushMirror(db: D1Database, repoId: number, remoteName: string): Promise<boolean> {
  const r = await db
    .prepare('delete from "push_mirror" where "repo_id" = ? and "remote_name" = ?')
    .bind(repoId, remoteName)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

/** A push's outcome: its time, and its error (null clears the last one). */
export async function recordPushMirror(db: D1Database, id: number, error: string | null): Promise<void> {
  await db
    .prepare('update "push_mirror" set "last_update" = ?, "last_error" = ? where "id" = ?')
    .bind(new Date().toISOString(), error, id)
    .run();
}
