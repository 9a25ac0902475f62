/**
 * Cleanup of quarantined (pending) packs that no push will ever publish. A pending pack's writer
 * lives in the memory of the instance receiving it, so once that instance is gone (evicted,
 * restarted, crashed mid-push) its pending packs are orphans: invisible to readers already, but
 * still holding their bytes. A new instance removes every pending pack created before it started.
 * Packs of this instance's own pushes are never touched here: dropping one under a live writer
 * would let its ref update publish nothing.
 */
import { dropPack } from './pack-store';

export interface QuarantineSweep {
  readonly packs: number;
  readonly bytes: number;
}

/** Drop pending packs created before `startedAt` (the current instance's start). */
export function dropOrphanedPendingPacks(sql: SqlStorage, startedAt: number): QuarantineSweep {
  const rows = sql
    .exec<{ id: number; bytes: number }>(
      `SELECT p.id AS id, COALESCE((SELECT SUM(LENGTH(c.data)) FROM pack_chunks c WHERE c.pack_id = p.id), 0) AS bytes
       FROM packs p WHERE p.state = 'pending' AND p.created_at < ?`,
      startedAt,
    )
    .toArray();
  let bytes = 0;
  for (const r of rows) {
    dropPack(sql, r.id);
    bytes += r.bytes;
  }
  return { packs: rows.length, bytes };
}

/** Pending packs still stored (for tests and operators). */
export function pendingPackCount(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM packs WHERE state = 'pending'").one().n;
}
