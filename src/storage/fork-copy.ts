/**
 * A fork's git data is a copy of its parent's stored rows, as they are: the live packs' chunk
 * rows, their sealed object indexes, the refs, HEAD and the cached pack's record. Nothing is
 * walked, inflated or re-encoded, so a fork costs what moving its bytes costs. The fork's object
 * pulls the rows from the parent's object over RPC in batches of a few MiB, so both stay in
 * bounded memory whatever the repository's size.
 *
 * Consistency: the snapshot (live packs, refs, HEAD, cached-pack record) is read in one
 * synchronous step of the parent's object, and a ref only ever names objects of live packs (a
 * push publishes its pack in the ref update's transaction), so the copied refs only reach copied
 * objects. Packs are immutable once live; a push to the parent during the copy adds packs the
 * snapshot does not list. Compaction may retire a listed pack meanwhile, but a retired pack stays
 * readable for a grace period (compaction.ts); if it was deleted before its rows were read, the
 * copy fails as a whole (the pack's rows stop short) and nothing of it is published.
 */
import type { Oid } from '../git/store';
import { readMeta, writeMeta } from './meta';
import { CHUNK_SIZE } from './pack-chunks';
import { dropPack, placeholders } from './pack-store';
import { HEAD_KEY } from './ref-store';

const CACHED_PACK_KEY = 'cached_pack';
/** Pack rows per batch: 64 KiB each, so 4 MiB crosses between the objects at a time. */
const PACK_ROWS_PER_BATCH = 64;
/** Index rows per batch: ~2.4 KB each (~9.5 KB in packs indexed before 2026-12-04), 1.2-4.9 MB a batch. */
const INDEX_ROWS_PER_BATCH = 512;

export interface ForkPack {
  readonly id: number;
  readonly size: number;
  readonly objectCount: number;
}

export interface ForkRef {
  readonly name: string;
  readonly oid: Oid;
  readonly peeled: Oid | null;
}

/** What a fork copies besides the packs' rows, read at one moment. */
export interface ForkSnapshot {
  readonly packs: readonly ForkPack[];
  readonly refs: readonly ForkRef[];
  /** HEAD's target (`refs/heads/...`), or null when none is stored. */
  readonly head: string | null;
  /** The cached pack's record as stored (its layers name pack ids, which the copy keeps). */
  readonly cachedPack: string | null;
}

/** One batch of rows of one table of one pack, in `seq` order. */
export interface RowBatch {
  readonly rows: { seq: number; data: ArrayBuffer; firstOid: string | null }[];
  /** No rows after these. */
  readonly done: boolean;
}

export type ForkTable = 'chunks' | 'index';

/** The parent's side: everything but the rows, in one synchronous read. */
export function readForkSnapshot(sql: SqlStorage): ForkSnapshot {
  const packs = sql
    .exec<{ id: number; size: number; object_count: number }>(
      "SELECT id, size, object_count FROM packs WHERE state = 'live' ORDER BY id",
    )
    .toArray()
    .map((p) => ({ id: p.id, size: p.size, objectCount: p.object_count }));
  const refs = sql
    .exec<{ name: string; oid: string; peeled: string | null }>(
      'SELECT name, oid, peeled FROM refs ORDER BY name',
    )
    .toArray()
    .map((r) => ({ name: r.name, oid: r.oid, peeled: r.peeled }));
  return { packs, refs, head: readMeta(sql, HEAD_KEY), cachedPack: readMeta(sql, CACHED_PACK_KEY) };
}

/** The parent's side: rows of pack `packId` from `fromSeq` on. Throws if the pack is gone. */
export function readForkRows(sql: SqlStorage, packId: number, table: ForkTable, fromSeq: number): RowBatch {
  const exists = sql.exec('SELECT 1 FROM packs WHERE id = ?', packId).toArray().length > 0;
  if (!exists) throw new Error(`pack ${packId} was deleted while it was being copied`);
  const limit = table === 'chunks' ? PACK_ROWS_PER_BATCH : INDEX_ROWS_PER_BATCH;
  const rows =
    table === 'chunks'
      ? sql
          .exec<{ seq: number; data: ArrayBuffer }>(
            'SELECT seq, data FROM pack_chunks WHERE pack_id = ? AND seq >= ? ORDER BY seq LIMIT ?',
            packId,
            fromSeq,
            limit,
          )
          .toArray()
          .map((r) => ({ seq: r.seq, data: r.data, firstOid: null }))
      : sql
          .exec<{ seq: number; data: ArrayBuffer; first_oid: string }>(
            'SELECT seq, data, first_oid FROM pack_index WHERE pack_id = ? AND run = 0 AND seq >= ? ORDER BY seq LIMIT ?',
            packId,
            fromSeq,
            limit,
          )
          .toArray()
          .map((r) => ({ seq: r.seq, data: r.data, firstOid: r.first_oid }));
  return { rows, done: rows.length < limit };
}

/** Where the fork's object reads the parent's rows from (the parent's object over RPC). */
export interface ForkSource {
  snapshot(): Promise<ForkSnapshot>;
  rows(packId: number, table: ForkTable, fromSeq: number): Promise<RowBatch>;
}

export interface ForkCopyResult {
  readonly packs: number;
  readonly bytes: number;
  readonly refs: number;
}

/**
 * The fork's side: copy everything from `source` into this empty object's SQLite. The packs are
 * written pending (invisible, and dropped by a later instance if the copy dies half-way), then
 * published with the refs, HEAD and the cached pack's record in one transaction.
 */
export async function copyFork(
  sql: SqlStorage,
  storage: DurableObjectStorage,
  source: ForkSource,
): Promise<ForkCopyResult> {
  if (
    sql.exec('SELECT 1 FROM packs LIMIT 1').toArray().length > 0 ||
    sql.exec('SELECT 1 FROM refs LIMIT 1').toArray().length > 0
  ) {
    throw new Error('a fork is copied only into an empty repository');
  }
  const snap = await source.snapshot();
  let bytes = 0;
  try {
    for (const pack of snap.packs) {
      // The parent's pack ids are kept: the cached pack's record names them.
      sql.exec(
        "INSERT INTO packs (id, state, size, object_count, created_at) VALUES (?, 'pending', ?, ?, ?)",
        pack.id,
        pack.size,
        pack.objectCount,
        Date.now(),
      );
      const copied = await copyRows(sql, source, pack.id, 'chunks');
      if (copied !== pack.size) throw new Error(`pack ${pack.id}: copied ${copied} of ${pack.size} bytes`);
      const indexBytes = await copyRows(sql, source, pack.id, 'index');
      if (indexBytes === 0 && pack.objectCount > 0)
        throw new Error(`pack ${pack.id}: no object index copied`);
      bytes += copied;
    }
  } catch (e) {
    for (const pack of snap.packs) dropPack(sql, pack.id);
    throw e;
  }
  storage.transactionSync(() => {
    const ids = snap.packs.map((p) => p.id);
    if (ids.length > 0)
      sql.exec(`UPDATE packs SET state = 'live' WHERE id IN (${placeholders(ids)})`, ...ids);
    for (const r of snap.refs) {
      sql.exec('INSERT INTO refs (name, oid, peeled) VALUES (?, ?, ?)', r.name, r.oid, r.peeled);
    }
    if (snap.head !== null) {
      writeMeta(sql, HEAD_KEY, snap.head);
    }
    if (snap.cachedPack !== null) {
      writeMeta(sql, CACHED_PACK_KEY, snap.cachedPack);
    }
  });
  return { packs: snap.packs.length, bytes, refs: snap.refs.length };
}

/** Copies one table's rows of a pack batch by batch; returns the bytes copied. */
async function copyRows(
  sql: SqlStorage,
  source: ForkSource,
  packId: number,
  table: ForkTable,
): Promise<number> {
  let next = 0;
  let bytes = 0;
  for (;;) {
    const batch = await source.rows(packId, table, next);
    for (const r of batch.rows) {
      if (r.seq !== next) throw new Error(`pack ${packId}: ${table} row ${next} is missing`);
      if (table === 'chunks') {
        if (r.data.byteLength > CHUNK_SIZE) throw new Error(`pack ${packId}: oversized row ${r.seq}`);
        sql.exec('INSERT INTO pack_chunks (pack_id, seq, data) VALUES (?, ?, ?)', packId, r.seq, r.data);
      } else {
        sql.exec(
          'INSERT INTO pack_index (pack_id, run, seq, first_oid, data) VALUES (?, 0, ?, ?, ?)',
          packId,
          r.seq,
          r.firstOid,
          r.data,
        );
      }
      bytes += r.data.byteLength;
      next += 1;
    }
    if (batch.done) return bytes;
  }
}
