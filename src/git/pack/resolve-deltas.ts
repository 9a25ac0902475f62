import { GitError, PackError } from '../errors';
import type { ObjectDatabase } from '../odb';
import { hashObject, type Sha1Factory } from '../sha1';
import type { ObjectType, Oid, PackEntry } from '../store';
import { applyDelta, readDeltaSizes } from './delta-apply';
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

/** A delta entry seen while receiving, resolved later. */
export interface DeltaRecord {
  readonly offset: number;
  readonly dataOffset: number;
  readonly end: number;
  readonly crc32: number;
  readonly deltaSize: number;
  /** Base offset of an ofs-delta, else -1. */
  readonly baseOffset: number;
  /** Base oid of a ref-delta, else null. */
  readonly baseOid: Oid | null;
  /** Offset of the base once resolved; -1 for a base outside the pack; -2 while unresolved. */
  resolvedBase: number;
  /** Oid of a base outside the pack (thin pack). */
  externalBase?: Oid;
  /** The inflated delta when the indexer kept it from receiving (dropped once used). */
  data?: Uint8Array;
}

export interface ResolveContext {
  readonly packId: number;
  readonly read: (offset: number, length: number) => Promise<Uint8Array>;
  /** Objects already stored, for thin-pack bases. */
  readonly base: ObjectDatabase;
  readonly resolved: Map<number, ResolvedObject>;
  readonly deltas: DeltaRecord[];
  readonly deltaAt: Map<number, number>;
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
  const byOffset = new Map<number, number[]>();
  const byOid = new Map<Oid, number[]>();
  deltas.forEach((d, i) => {
    if (d.baseOid !== null) push(byOid, d.baseOid, i);
    else push(byOffset, d.baseOffset, i);
  });
  const cache = new ByteLru<number, Uint8Array>(ctx.cacheBytes);
  let done = 0;
  const inflater = new StreamInflater();
  const inflate = ctx.inflate ?? ((z: Uint8Array, size: number) => inflateExact(z, size, inflater));

  const inflateDelta = async (d: DeltaRecord): Promise<Uint8Array> => {
    const kept = d.data;
    if (kept !== undefined) {
      d.data = undefined;
      return kept;
    }
    return inflate(await ctx.read(d.dataOffset, d.end - d.dataOffset), d.deltaSize);
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
    const chain: DeltaRecord[] = [];
    let cur = offset;
    let data: Uint8Array;
    for (;;) {
      const di = ctx.deltaAt.get(cur);
      if (di === undefined) {
        data = await inflateWhole(cur);
        cache.set(cur, data);
        break;
      }
      const d = deltas[di];
      chain.push(d);
      if (d.resolvedBase === -1) {
        data = (await ctx.base.readRequired(d.externalBase ?? '')).data;
        break;
      }
      cur = d.resolvedBase;
      const c = cache.get(cur);
      if (c !== undefined) {
        data = c;
        break;
      }
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      data = applyDelta(data, await inflateDelta(chain[i]));
      cache.set(chain[i].offset, data);
    }
    return data;
  };

  const resolveOne = async (
    di: number,
    baseData: Uint8Array,
    base: ResolvedObject,
    baseOffset: number,
  ): Promise<void> => {
    const d = deltas[di];
    const delta = await inflateDelta(d);
    const { targetSize } = readDeltaSizes(delta);
    if (targetSize > ctx.maxObjectSize) {
      throw new GitError(
        'OBJECT_TOO_LARGE',
        `delta at ${d.offset} yields ${targetSize} bytes, limit ${ctx.maxObjectSize}`,
      );
    }
    const data = applyDelta(baseData, delta);
    const oid = hashObject(base.type, data, ctx.createSha1);
    if (base.type !== 'blob') await ctx.onObject?.(oid, base.type, data);
    const depth = base.depth + 1;
    resolved.set(d.offset, { oid, type: base.type, depth });
    d.resolvedBase = baseOffset;
    cache.set(d.offset, data);
    await ctx.emit({
      oid,
      packId: ctx.packId,
      offset: d.offset,
      dataOffset: d.dataOffset,
      end: d.end,
      type: base.type,
      size: data.length,
      baseOid: base.oid,
      depth,
      crc32: d.crc32,
    });
    ctx.onProgress?.(++done);
  };

  const claim = (offset: number, oid: Oid): number[] => {
    const kids: number[] = [];
    const a = byOffset.get(offset);
    if (a !== undefined) {
      byOffset.delete(offset);
      kids.push(...a);
    }
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
      const info = resolved.get(offset) as ResolvedObject;
      const kids = claim(offset, info.oid);
      if (kids.length === 0) continue;
      const data = await materialize(offset);
      for (const di of kids) {
        if (deltas[di].resolvedBase !== -2) continue;
        await resolveOne(di, data, info, offset);
        stack.push(deltas[di].offset);
      }
    }
  };

  for (const [offset, info] of [...resolved]) if (info.depth === 0) await walk(offset);

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
      if (deltas[di].resolvedBase !== -2) continue;
      deltas[di].externalBase = oid;
      await resolveOne(di, data, info, -1);
      deltas[di].resolvedBase = -1;
      await walk(deltas[di].offset);
    }
  }

  const missing = deltas.find((d) => d.resolvedBase === -2);
  if (missing !== undefined) {
    if (missing.baseOid !== null) {
      throw new PackError(
        'PACK_MISSING_BASE',
        `ref-delta at ${missing.offset}: base ${missing.baseOid} is neither in the pack nor stored (or the deltas form a cycle)`,
      );
    }
    throw new PackError('PACK_MISSING_BASE', `ofs-delta at ${missing.offset}: base could not be resolved`);
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
