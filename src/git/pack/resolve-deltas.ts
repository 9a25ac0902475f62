import { GitError, PackError } from '../errors';
import type { ObjectDatabase } from '../odb';
import { hashObject, type Sha1Factory } from '../sha1';
import type { ObjectType, Oid, PackEntry } from '../store';
import { applyDelta, readDeltaSizes } from './delta-apply';
import type { DeltaTable } from './delta-table';
import { ByteLru } from './lru';
import { inflateExact, StreamInflater } from './zlib';

/** An object of the pack whose id is known. */
export interface ResolvedObject {
  readonly oid: Oid;
  readonly type: ObjectType;
  readonly depth: number;
  /** For a whole object: where its zlib stream is and its size, to re-inflate it as a base. */
  readonly whole?: { readonly dataOffset: number; readonly end: number; readonly size: number };
}

export interface ResolveContext {
  readonly packId: number;
  readonly read: (offset: number, length: number) => Promise<Uint8Array>;
  /** Objects already stored, for thin-pack bases. */
  readonly base: ObjectDatabase;
  /** The whole objects of the pack by offset (deltas carry their own resolution). */
  readonly resolved: Map<number, ResolvedObject>;
  /** The delta entries, in pack order. */
  readonly deltas: DeltaTable;
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
 * base) over the deltas based on it, with an explicit stack. Inflated objects go into a
 * byte-bounded LRU keyed by pack offset; an evicted base is rebuilt from the nearest cached
 * ancestor, so memory stays bounded whatever the chain depth.
 */
export async function resolveDeltas(ctx: ResolveContext): Promise<void> {
  const { deltas, resolved } = ctx;
  if (deltas.length === 0) return;
  const byOid = new Map<Oid, number[]>();
  for (const [i, oid] of deltas.baseOid) push(byOid, oid, i);
  const children = new OfsChildren(deltas);
  const cache = new ByteLru<number, Uint8Array>(ctx.cacheBytes);
  let done = 0;
  let scratch = new Uint8Array(0);
  const inflater = new StreamInflater();
  const inflate = ctx.inflate ?? ((z: Uint8Array, size: number) => inflateExact(z, size, inflater));

  const inflateDelta = async (i: number): Promise<Uint8Array> => {
    const kept = deltas.takeKept(i);
    if (kept !== undefined) return kept;
    const from = deltas.dataOffset[i];
    return inflate(await ctx.read(from, deltas.end[i] - from), deltas.deltaSize[i]);
  };

  /** The resolved object at `offset`: a whole object, or a delta already resolved. */
  const infoAt = (offset: number): ResolvedObject => {
    const whole = resolved.get(offset);
    if (whole !== undefined) return whole;
    const i = deltas.find(offset);
    const oid = i < 0 ? undefined : deltas.oid(i);
    const type = i < 0 ? undefined : deltas.type(i);
    if (oid === undefined || type === undefined)
      throw new PackError('PACK_BAD_ENTRY', `no resolved object at ${offset}`);
    return { oid, type, depth: deltas.depth[i] };
  };

  const inflateWhole = async (offset: number): Promise<Uint8Array> => {
    const w = resolved.get(offset)?.whole;
    if (w === undefined) throw new PackError('PACK_BAD_ENTRY', `no whole object at ${offset}`);
    return inflate(await ctx.read(w.dataOffset, w.end - w.dataOffset), w.size);
  };

  /** The content of a resolved object of the pack, rebuilt iteratively if not cached. */
  const materialize = async (offset: number): Promise<Uint8Array> => {
    const hit = cache.get(offset);
    if (hit !== undefined) return hit;
    const chain: number[] = [];
    let cur = offset;
    let data: Uint8Array;
    for (;;) {
      const di = deltas.find(cur);
      if (di < 0) {
        data = await inflateWhole(cur);
        cache.set(cur, data);
        break;
      }
      chain.push(di);
      if (deltas.resolvedBase[di] === -1) {
        data = (await ctx.base.readRequired(deltas.externalBase.get(di) ?? '')).data;
        break;
      }
      cur = deltas.resolvedBase[di];
      const c = cache.get(cur);
      if (c !== undefined) {
        data = c;
        break;
      }
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      data = applyDelta(data, await inflateDelta(chain[i]));
      cache.set(deltas.offset[chain[i]], data);
    }
    return data;
  };

  const resolveOne = async (
    di: number,
    baseData: Uint8Array,
    base: ResolvedObject,
    baseOffset: number,
  ): Promise<void> => {
    const offset = deltas.offset[di];
    const delta = await inflateDelta(di);
    const { targetSize } = readDeltaSizes(delta);
    if (targetSize > ctx.maxObjectSize) {
      throw new GitError(
        'OBJECT_TOO_LARGE',
        `delta at ${offset} yields ${targetSize} bytes, limit ${ctx.maxObjectSize}`,
      );
    }
    // Most deltas are nobody's base: their content is hashed, checked and dropped, so it is built
    // in a reused buffer and not cached (caching it only evicted the bases still needed).
    const leafSoFar = targetSize <= SCRATCH_MAX && !children.has(offset);
    if (leafSoFar && scratch.length < targetSize)
      scratch = new Uint8Array(Math.max(targetSize, scratch.length * 2));
    let data = applyDelta(baseData, delta, leafSoFar ? scratch : undefined);
    const oid = hashObject(base.type, data, ctx.createSha1);
    if (base.type !== 'blob') await ctx.onObject?.(oid, base.type, data);
    const depth = base.depth + 1;
    deltas.resolve(di, oid, base.type, depth, baseOffset);
    if (!leafSoFar || byOid.has(oid)) {
      // A ref-delta names it as its base after all.
      if (leafSoFar) data = data.slice();
      cache.set(offset, data);
    }
    await ctx.emit({
      oid,
      packId: ctx.packId,
      offset,
      dataOffset: deltas.dataOffset[di],
      end: deltas.end[di],
      type: base.type,
      size: data.length,
      baseOid: base.oid,
      depth,
      crc32: deltas.crc32[di],
    });
    ctx.onProgress?.(++done);
  };

  // Each object is walked once (when it is resolved), so its ofs-delta children are claimed once.
  const claim = (offset: number, oid: Oid): number[] => {
    const kids = children.of(offset);
    const b = byOid.get(oid);
    if (b !== undefined) {
      byOid.delete(oid);
      kids.push(...b);
    }
    return kids;
  };

  const walk = async (root: number): Promise<void> => {
    const stack = [root];
    while (stack.length > 0) {
      const offset = stack.pop() as number;
      const info = infoAt(offset);
      const kids = claim(offset, info.oid);
      if (kids.length === 0) continue;
      const data = await materialize(offset);
      for (const di of kids) {
        if (deltas.resolvedBase[di] !== -2) continue;
        await resolveOne(di, data, info, offset);
        stack.push(deltas.offset[di]);
      }
    }
  };

  // Walks only resolve deltas, which live in the table: `resolved` is not changed meanwhile.
  for (const offset of resolved.keys()) await walk(offset);

  // Thin pack: ref-deltas whose base is not in the pack come from the store.
  for (const oid of [...byOid.keys()]) {
    const kids = byOid.get(oid);
    if (kids === undefined) continue;
    const entry = await ctx.base.entry(oid);
    if (entry === null) continue;
    byOid.delete(oid);
    const data = await ctx.base.readEntryData(entry);
    const info: ResolvedObject = { oid, type: entry.type, depth: entry.depth };
    for (const di of kids) {
      if (deltas.resolvedBase[di] !== -2) continue;
      deltas.externalBase.set(di, oid);
      await resolveOne(di, data, info, -1);
      await walk(deltas.offset[di]);
    }
  }

  const missing = deltas.resolvedBase.subarray(0, deltas.length).indexOf(-2);
  if (missing >= 0) {
    const at = deltas.offset[missing];
    const baseOid = deltas.baseOid.get(missing);
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

/**
 * The ofs-deltas of each base offset, as two sorted typed arrays (a map of arrays cost about
 * 120 bytes per delta). Children come in pack order.
 */
class OfsChildren {
  private readonly index: Int32Array;
  private readonly bases: Float64Array;

  constructor(deltas: DeltaTable) {
    const order: number[] = [];
    for (let i = 0; i < deltas.length; i++) if (!deltas.baseOid.has(i)) order.push(i);
    const base = deltas.baseOffset;
    order.sort((a, b) => base[a] - base[b] || a - b);
    this.index = Int32Array.from(order);
    this.bases = Float64Array.from(order, (i) => base[i]);
  }

  /** Whether some delta has its base at `offset`. */
  has(offset: number): boolean {
    const i = this.first(offset);
    return i < this.bases.length && this.bases[i] === offset;
  }

  of(offset: number): number[] {
    const lo = this.first(offset);
    const kids: number[] = [];
    for (let i = lo; i < this.bases.length && this.bases[i] === offset; i++) kids.push(this.index[i]);
    return kids;
  }

  /** The first position whose base is not below `offset`. */
  private first(offset: number): number {
    let lo = 0;
    let hi = this.bases.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.bases[mid] < offset) lo = mid + 1;
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
