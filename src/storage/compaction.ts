/**
 * Compaction: the many small packs that many pushes leave are merged into one, in the
 * background (from the Durable Object's alarm). Stored bytes are reused as they are (deltas
 * included); the new pack is indexed like a push and published in one transaction that retires
 * the packs it replaces (and rewrites the cached pack's record when they were its layers').
 * Retired packs stay readable for a grace period, so a clone that looked up its objects before
 * the switch can finish; they are deleted on a later alarm.
 */
import type { ObjectDatabase } from '../git/odb';
import { idHexAt } from '../git/oid';
import { indexPack } from '../git/pack/index-pack';
import { writePack } from '../git/pack/write-pack';
import type { Oid } from '../git/store';
import { fromReadableStream } from '../git/stream';
import type { SqlCachedPackStore } from './cached-pack';
import { forEachDistinct } from './pack-index';
import { dropPack, retirePacks, type SqlPackStore } from './pack-store';

/** Compact once this many live packs are below SMALL_PACK_BYTES. */
export const COMPACT_MIN_PACKS = 4;
/** Packs at least this big are left alone (they are already the product of a big push or a compaction). */
const SMALL_PACK_BYTES = 64 * 1024 * 1024;
/** How long a retired pack stays readable. */
export const RETIRED_GRACE_MS = 10 * 60 * 1000;

export type CompactionResult =
  | { kind: 'skipped'; livePacks: number }
  | { kind: 'compacted'; packs: number; objects: number; packIds: number[]; bytes: number };

interface PackRow extends Record<string, SqlStorageValue> {
  id: number;
  size: number;
}

/**
 * Merge small packs, in groups that keep the cached pack whole: packs of consecutive layers of
 * the cached pack become one pack of one layer (together they hold the same objects), and packs
 * outside it merge among themselves (a merged pack holding both would be neither).
 */
export async function compact(
  sql: SqlStorage,
  storage: DurableObjectStorage,
  packs: SqlPackStore,
  odb: ObjectDatabase,
  cached: SqlCachedPackStore,
): Promise<CompactionResult> {
  const small = sql
    .exec<PackRow>(
      "SELECT id, size FROM packs WHERE state = 'live' AND size < ? ORDER BY id",
      SMALL_PACK_BYTES,
    )
    .toArray()
    .map((p) => p.id);
  if (small.length < COMPACT_MIN_PACKS) return { kind: 'skipped', livePacks: small.length };
  const done: CompactionResult = { kind: 'compacted', packs: 0, objects: 0, packIds: [], bytes: 0 };
  for (const group of groups(new Set(small), cached.layerPacks())) {
    const merged = await mergePacks(storage, packs, odb, group, (into) => cached.replacePacks(group, into));
    done.packs += group.length;
    done.objects += merged.objects;
    done.packIds.push(merged.packId);
    done.bytes += merged.bytes;
  }
  return done.packs > 0 ? done : { kind: 'skipped', livePacks: small.length };
}

/** Runs of small packs in the cached pack's layer order, then the small packs outside it; two or more each. */
function groups(small: ReadonlySet<number>, layers: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  let run: number[] = [];
  const inLayers = new Set<number>();
  for (const id of layers.flat()) {
    inLayers.add(id);
    if (small.has(id)) {
      run.push(id);
      continue;
    }
    out.push(run);
    run = [];
  }
  out.push(
    run,
    [...small].filter((id) => !inLayers.has(id)),
  );
  return out.filter((g) => g.length >= 2);
}

/**
 * Write the objects of `ids` as one new pack and publish it in place of them. With `keep`, only
 * the objects it keeps (the others must be in packs that stay); none kept: the packs are retired.
 */
export async function mergePacks(
  storage: DurableObjectStorage,
  packs: SqlPackStore,
  odb: ObjectDatabase,
  ids: readonly number[],
  /** Runs inside the publishing transaction. */
  onPublish: (packId: number) => void,
  keep: (oid: Oid) => boolean = () => true,
): Promise<{ objects: number; packId: number; bytes: number }> {
  const oids: Oid[] = [];
  forEachDistinct(packs.index, ids, (chunk, at) => {
    const oid = idHexAt(chunk, at);
    if (keep(oid)) oids.push(oid);
  });
  if (oids.length === 0) {
    storage.transactionSync(() => retirePacks(storage.sql, ids));
    packs.forgetLivePacks();
    return { objects: 0, packId: -1, bytes: 0 };
  }
  const inSet = new Set(oids);

  const writer = packs.newPack();
  try {
    // A delta whose base lives in a pack we keep is written as a ref-delta to it (the "client"
    // here is the repository itself, which has every object outside the set).
    const stream = writePack(oids, odb, { ofsDelta: true, clientHas: (oid) => !inSet.has(oid) });
    await indexPack(fromReadableStream(stream), writer, packs, odb.codecs);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const sql = storage.sql;
  try {
    storage.transactionSync(() => {
      packs.publish(writer.packId);
      // While the merged packs are still live (the record's layers lapse at a pack that is not).
      onPublish(writer.packId);
      retirePacks(sql, ids);
    });
  } finally {
    packs.forgetLivePacks();
  }
  const bytes = sql.exec<{ size: number }>('SELECT size FROM packs WHERE id = ?', writer.packId).one().size;
  return { objects: oids.length, packId: writer.packId, bytes };
}

/** Delete retired packs whose grace period is over; returns how many are still waiting. */
export function dropRetiredPacks(sql: SqlStorage, now = Date.now()): number {
  const rows = sql
    .exec<{ id: number; retired_at: number }>("SELECT id, retired_at FROM packs WHERE state = 'retired'")
    .toArray();
  let waiting = 0;
  for (const r of rows) {
    if (now - r.retired_at >= RETIRED_GRACE_MS) dropPack(sql, r.id);
    else waiting += 1;
  }
  return waiting;
}
