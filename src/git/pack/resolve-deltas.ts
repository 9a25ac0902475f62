import { GitError, PackError } from '../errors';
import { objectHeaderLength, writeObjectHeader } from '../object-header';
import type { ObjectDatabase } from '../odb';
import { Pacer } from '../pacer';
import { createSha1, hashObject, hashWhole, type Sha1Factory } from '../sha1';
import type { ObjectType, Oid, PackEntry } from '../store';
import { applyDelta, readDeltaSizes } from './delta-apply';
import { type EntryTable, EXTERNAL_BASE } from './entry-table';
import { ByteLru } from './lru';
import { createInflate } from './zlib';

/** An object of the pack, or a thin pack's base, whose id is known. */
interface BaseInfo {
  readonly oid: Oid;
  readonly type: ObjectType;
  readonly depth: number;
}

export interface ResolveContext {
  readonly packId: number;
  readonly read: (offset: number, length: number) => Promise<Uint8Array>;
  /** Objects already stored, for thin-pack bases. */
  readonly base: ObjectDatabase;
  /** The pack's entries, whole objects with their ids. */
  readonly entries: EntryTable;
  readonly cacheBytes: number;
  readonly maxObjectSize: number;
  readonly emit: (e: PackEntry) => Promise<void>;
  readonly onProgress?: (done: number) => void;
  readonly createSha1?: Sha1Factory;
  readonly inflate?: (zlib: Uint8Array, size: number) => Uint8Array;
  readonly onObject?: (oid: Oid, type: ObjectType, data: Uint8Array) => void | Promise<void>;
}

/**
 * Resolve every delta base-first: a depth-first walk from each whole object (and each thin-pack
 * base) over the deltas based on it, with an explicit stack. Inflated bases go into a
 * byte-bounded LRU keyed by row and leave it as soon as the deltas on them are resolved (as git's
 * index-pack frees a base once its children are done), so it holds what the walk's stack still
 * needs rather than filling up to its bound: the medium benchmark push peaked at 70 MiB live with
 * every resolved base kept until evicted, 41 MiB with this. An evicted base is rebuilt from the
 * nearest cached ancestor, so memory stays bounded whatever the chain depth.
 */
export async function resolveDeltas(ctx: ResolveContext): Promise<void> {
  const { entries } = ctx;
  if (entries.deltaCount === 0) return;
  const byOid = new Map<Oid, number[]>();
  for (const [i, oid] of entries.baseOid) push(byOid, oid, i);
  const children = new OfsChildren(entries);
  // The small deltas kept from receiving and the cached bases share one budget: the bases get
  // what the kept deltas let go of as they are taken, and at least half of it from the start.
  const baseLimit = (): number => Math.max(ctx.cacheBytes / 2, ctx.cacheBytes - entries.kept.heldBytes);
  const cache = new ByteLru<number, Uint8Array>(baseLimit());
  let done = 0;
  let scratch = new Uint8Array(0);
  const newSha1 = ctx.createSha1 ?? createSha1;
  /** The id of the object of `size` bytes at `buf[HEADER_ROOM..]`, its header written in front. */
  const hashBehindHeader = (type: ObjectType, buf: Uint8Array, size: number): Oid => {
    const at = HEADER_ROOM - objectHeaderLength(type, size);
    writeObjectHeader(type, size, buf, at);
    return hashWhole(buf.subarray(at, HEADER_ROOM + size), newSha1);
  };
  const inflate = ctx.inflate ?? createInflate();

  /** The inflated data of row `i` (a delta's instructions, or a whole object). */
  const inflateEntry = async (i: number): Promise<Uint8Array> => {
    const kept = entries.takeKept(i);
    if (kept !== undefined) {
      cache.setLimit(baseLimit());
      return kept;
    }
    const from = entries.dataOffset(i);
    return inflate(await ctx.read(from, entries.end(i) - from), entries.size[i]);
  };

  const infoAt = (i: number): BaseInfo => {
    const oid = entries.oid(i);
    const type = entries.type(i);
    if (oid === undefined || type === undefined)
      throw new PackError('PACK_BAD_ENTRY', `no resolved object at ${entries.offset[i]}`);
    return { oid, type, depth: entries.depth[i] };
  };

  /** The content of a resolved object of the pack, rebuilt iteratively if not cached. */
  const materialize = async (row: number): Promise<Uint8Array> => {
    const hit = cache.get(row);
    if (hit !== undefined) return hit;
    const chain: number[] = [];
    let cur = row;
    let data: Uint8Array;
    for (;;) {
      if (!entries.isDelta(cur)) {
        data = await inflateEntry(cur);
        cache.set(cur, data);
        break;
      }
      chain.push(cur);
      if (entries.base[cur] === EXTERNAL_BASE) {
        data = (await ctx.base.readRequired(entries.externalBase.get(cur) ?? '')).data;
        break;
      }
      cur = entries.base[cur];
      if (cur < 0) throw new PackError('PACK_BAD_ENTRY', `unresolved base in the chain of row ${row}`);
      const c = cache.get(cur);
      if (c !== undefined) {
        data = c;
        break;
      }
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      data = applyDelta(data, await inflateEntry(chain[i]));
      cache.set(chain[i], data);
    }
    return data;
  };

  const resolveOne = async (
    di: number,
    baseData: Uint8Array,
    base: BaseInfo,
    baseRow: number,
  ): Promise<void> => {
    const offset = entries.offset[di];
    const delta = await inflateEntry(di);
    const { targetSize } = readDeltaSizes(delta);
    if (targetSize > ctx.maxObjectSize) {
      throw new GitError(
        'OBJECT_TOO_LARGE',
        `delta at ${offset} yields ${targetSize} bytes, limit ${ctx.maxObjectSize}`,
      );
    }
    // Most deltas are nobody's base: their content is hashed, checked and dropped, so it is built
    // in a reused buffer and not cached (caching it only evicted the bases still needed).
    const leafSoFar = targetSize <= SCRATCH_MAX && !children.has(di);
    if (leafSoFar && scratch.length < HEADER_ROOM + targetSize)
      scratch = new Uint8Array(HEADER_ROOM + Math.max(targetSize, scratch.length * 2));
    let data = applyDelta(baseData, delta, leafSoFar ? scratch.subarray(HEADER_ROOM) : undefined);
    // In the reused buffer the header goes right in front of the object: one native call to hash.
    const oid = leafSoFar
      ? hashBehindHeader(base.type, scratch, targetSize)
      : hashObject(base.type, data, newSha1);
    if (base.type !== 'blob') await ctx.onObject?.(oid, base.type, data);
    const depth = base.depth + 1;
    entries.resolve(di, oid, base.type, depth, baseRow);
    if (!leafSoFar || byOid.has(oid)) {
      // A ref-delta names it as its base after all.
      if (leafSoFar) data = data.slice();
      cache.set(di, data);
    }
    await ctx.emit({
      oid,
      packId: ctx.packId,
      offset,
      dataOffset: entries.dataOffset(di),
      end: entries.end(di),
      type: base.type,
      size: data.length,
      baseOid: base.oid,
      depth,
      crc32: entries.crc32[di],
    });
    ctx.onProgress?.(++done);
  };

  // Each object is walked once (when it is resolved), so its ofs-delta children are claimed once.
  const claim = (row: number, oid: Oid): number[] => {
    const kids = children.of(row);
    const b = byOid.get(oid);
    if (b !== undefined) {
      byOid.delete(oid);
      kids.push(...b);
    }
    return kids;
  };

  const pacer = new Pacer();
  const walk = async (root: number): Promise<void> => {
    const stack = [root];
    while (stack.length > 0) {
      const row = stack.pop() as number;
      const info = infoAt(row);
      const kids = claim(row, info.oid);
      if (kids.length > 0) {
        const data = await materialize(row);
        for (const di of kids) {
          if (entries.type(di) !== undefined) continue;
          const pause = pacer.tick(data.length);
          if (pause) await pause;
          await resolveOne(di, data, info, row);
          stack.push(di);
        }
      }
      // Every delta on it was claimed just now (ref-deltas included), so nothing reads it again.
      cache.delete(row);
    }
  };

  for (let row = 0; row < entries.length; row++) if (!entries.isDelta(row)) await walk(row);

  // Thin pack: ref-deltas whose base is not in the pack come from the store. Every object walked
  // so far had all its children resolved, so no cached base is needed again: let them go before
  // the store's reads fill caches of their own.
  cache.clear();
  for (const oid of [...byOid.keys()]) {
    const kids = byOid.get(oid);
    if (kids === undefined) continue;
    const entry = await ctx.base.entry(oid);
    if (entry === null) continue;
    byOid.delete(oid);
    const data = await ctx.base.readEntryData(entry);
    const info: BaseInfo = { oid, type: entry.type, depth: entry.depth };
    for (const di of kids) {
      if (entries.type(di) !== undefined) continue;
      entries.externalBase.set(di, oid);
      await resolveOne(di, data, info, EXTERNAL_BASE);
      await walk(di);
    }
  }

  const missing = entries.firstUnresolved();
  if (missing >= 0) {
    const at = entries.offset[missing];
    const baseOid = entries.baseOid.get(missing);
    if (baseOid !== undefined) {
      throw new PackError(
        'PACK_MISSING_BASE',
        `ref-delta at ${at}: base ${baseOid} is neither in the pack nor stored (or the deltas form a cycle)`,
      );
    }
    throw new PackError('PACK_MISSING_BASE', `ofs-delta at ${at}: base could not be resolved`);
  }
}

/** Largest delta result built in the reused buffer (bigger ones get their own array). */
const SCRATCH_MAX = 1024 * 1024;
/** Room in front of the reused buffer's object for its header ("commit 1048576\0" is 15 bytes). */
const HEADER_ROOM = 32;

/**
 * The ofs-deltas of each base row, as two sorted typed arrays (a map of arrays cost about 120
 * bytes per delta). Children come in pack order.
 */
class OfsChildren {
  private readonly index: Int32Array;
  private readonly bases: Int32Array;

  constructor(entries: EntryTable) {
    const base = entries.base;
    const order: number[] = [];
    for (let i = 0; i < entries.length; i++) if (base[i] >= 0) order.push(i);
    order.sort((a, b) => base[a] - base[b] || a - b);
    this.index = Int32Array.from(order);
    this.bases = Int32Array.from(order, (i) => base[i]);
  }

  /** Whether some delta has its base at row `row`. */
  has(row: number): boolean {
    const i = this.first(row);
    return i < this.bases.length && this.bases[i] === row;
  }

  of(row: number): number[] {
    const lo = this.first(row);
    const kids: number[] = [];
    for (let i = lo; i < this.bases.length && this.bases[i] === row; i++) kids.push(this.index[i]);
    return kids;
  }

  /** The first position whose base is not below `row`. */
  private first(row: number): number {
    let lo = 0;
    let hi = this.bases.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.bases[mid] < row) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
