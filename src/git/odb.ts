import { ObjectError, PackError } from './errors';
import type { PackTypeNumber } from './object-header';
import { type Crc32Fn, crc32Update } from './pack/crc32';
import { applyDelta } from './pack/delta-apply';
import { decodeEntryHeader } from './pack/entry-header';
import { ByteLru } from './pack/lru';
import {
  createInflate,
  type DeflateFn,
  deflateBytes,
  type InflateFn,
  type InflaterFactory,
} from './pack/zlib';
import { createSha1, type Sha1Factory } from './sha1';
import type {
  CommitGraph,
  GitObject,
  ObjectType,
  Oid,
  PackEntry,
  PackStore,
  PackWriter,
  StoredEntryRef,
} from './store';

export interface StoredEntry {
  readonly packType: PackTypeNumber;
  readonly storedSize: number;
  readonly zlib: Uint8Array;
}

export interface ObjectDatabaseOptions {
  /** A pack still in quarantine whose objects should be readable too (receive path). */
  readonly pending?: PackWriter;
  /** Inflate a zlib stream to exactly `size` bytes; defaults to pako. */
  readonly inflate?: InflateFn;
  /** Bytes of inflated objects kept in the LRU (default 32 MiB). */
  readonly cacheBytes?: number;
  /** SHA-1 implementation for everything that hashes on behalf of this database. */
  readonly createSha1?: Sha1Factory;
  /** CRC-32 implementation for indexing packs into this database. */
  readonly crc32?: Crc32Fn;
  /** Streaming inflater for indexing packs into this database (defaults to pako). */
  readonly createInflater?: InflaterFactory;
  /** Deflate of objects sent whole that were stored as deltas (defaults to pako). */
  readonly deflate?: DeflateFn;
  /**
   * Commit links cache for walks. Only for a database of published objects: one that also reads
   * a pending pack must not record commits a rejected push may take away again.
   */
  readonly commitGraph?: CommitGraph;
}

/** The platform's implementations of what reading and indexing packs compute. */
export interface PackCodecs {
  readonly createSha1: Sha1Factory;
  readonly inflate: InflateFn;
  readonly crc32: Crc32Fn;
  readonly createInflater?: InflaterFactory;
  readonly deflate?: DeflateFn;
}

/** Longest delta chain followed before assuming the index is corrupt (git's default max is 4095). */
const MAX_CHAIN = 10_000;

/**
 * Index rows kept by one ObjectDatabase (about 200 bytes each of heap: id strings, numbers). A
 * walking clone of 411,000 objects reads 227,000 trees: 100,000 rows held 19 MiB at its peak,
 * and a walk followed by a pack write looks rows up again in batches (lookupMany) anyway.
 */
const ENTRY_CACHE_MAX = 16_384;

/**
 * Reads objects out of stored packs: whole objects are inflated, deltas are resolved by walking
 * the chain down to a cached or whole object and applying deltas upwards (no recursion).
 */
export class ObjectDatabase {
  private readonly cache: ByteLru<Oid, Uint8Array>;
  /** Inflate of a whole zlib stream of known size (the platform may supply a native one). */
  readonly inflate: InflateFn;
  private readonly pending: PackWriter | undefined;
  /** The platform's SHA-1, for callers that create or verify objects. */
  readonly createSha1: Sha1Factory;
  /** The platform's CRC-32, for indexing packs. */
  readonly crc32: Crc32Fn;
  /** The platform's streaming inflater, for indexing packs (undefined: the engine's). */
  readonly createInflater: InflaterFactory | undefined;
  /** The platform's deflate, for objects a pack sends whole that were stored as deltas. */
  readonly deflate: DeflateFn;
  readonly commitGraph: CommitGraph | undefined;

  constructor(
    readonly store: PackStore,
    opts: ObjectDatabaseOptions = {},
  ) {
    this.cache = new ByteLru(opts.cacheBytes ?? 32 * 1024 * 1024);
    this.inflate = opts.inflate ?? createInflate();
    this.pending = opts.pending;
    this.createSha1 = opts.createSha1 ?? createSha1;
    this.crc32 = opts.crc32 ?? crc32Update;
    this.createInflater = opts.createInflater;
    this.deflate = opts.deflate ?? deflateBytes;
    if (opts.commitGraph && opts.pending) throw new Error('a commit graph serves published objects only');
    this.commitGraph = opts.commitGraph;
  }

  /** Let go of the inflated objects kept so far, and the store's caches (they refill as needed). */
  dropCache(): void {
    this.cache.clear();
    this.store.dropCaches?.();
  }

  /** This database's codecs: to index a pack, or to open another database, the same way. */
  get codecs(): PackCodecs {
    return {
      createSha1: this.createSha1,
      inflate: this.inflate,
      crc32: this.crc32,
      createInflater: this.createInflater,
      deflate: this.deflate,
    };
  }

  async entry(oid: Oid): Promise<PackEntry | null> {
    const known = this.entryCache.get(oid);
    if (known !== undefined) return known;
    const e = (await this.store.lookup(oid)) ?? (this.pending ? await this.pending.lookupPending(oid) : null);
    if (e !== null) this.remember(e);
    return e;
  }

  /** Index rows of many objects (published first, then the pending pack). */
  async entries(oids: readonly Oid[]): Promise<Map<Oid, PackEntry>> {
    const found = new Map<Oid, PackEntry>();
    const unknown: Oid[] = [];
    for (const oid of oids) {
      const known = this.entryCache.get(oid);
      if (known !== undefined) found.set(oid, known);
      else unknown.push(oid);
    }
    if (unknown.length === 0) return found;
    for (const [oid, e] of await this.store.lookupMany(unknown)) found.set(oid, e);
    if (this.pending && found.size < oids.length) {
      for (const oid of unknown) {
        if (found.has(oid)) continue;
        const e = await this.pending.lookupPending(oid);
        if (e !== null) found.set(oid, e);
      }
    }
    return found;
  }

  /**
   * Index rows already looked up, so that a walk followed by a pack write (or a delta chain read
   * twice) asks the store once per object. An instance lives for one request; entries of a
   * compacted pack stay readable for the grace period, longer than any request.
   */
  private readonly entryCache = new Map<Oid, PackEntry>();

  private remember(e: PackEntry): void {
    if (this.entryCache.size >= ENTRY_CACHE_MAX) this.entryCache.clear();
    this.entryCache.set(e.oid, e);
  }

  async has(oid: Oid): Promise<boolean> {
    return (await this.entry(oid)) !== null;
  }

  /** Type and size from the index, without inflating anything. */
  async info(oid: Oid): Promise<{ type: ObjectType; size: number } | null> {
    const e = await this.entry(oid);
    return e === null ? null : { type: e.type, size: e.size };
  }

  async read(oid: Oid): Promise<GitObject | null> {
    const top = await this.entry(oid);
    if (top === null) return null;
    return { type: top.type, data: await this.readEntryData(top) };
  }

  /** Like `read`, but a missing object is an error. */
  async readRequired(oid: Oid): Promise<GitObject> {
    const obj = await this.read(oid);
    if (obj === null) throw new ObjectError('OBJECT_NOT_FOUND', `object ${oid} not found`);
    return obj;
  }

  /** The zlib bytes of a stored entry (whole object or delta), for copying into outgoing packs. */
  async readRaw(entry: StoredEntryRef): Promise<Uint8Array> {
    return this.readPackBytes(entry.packId, entry.dataOffset, entry.end - entry.dataOffset);
  }

  /**
   * A stored entry as it sits in its pack: pack type number, stored size (the delta's size for
   * a delta) and zlib bytes, so it can be copied into another pack without inflating.
   */
  async readStored(entry: StoredEntryRef): Promise<StoredEntry> {
    const raw = await this.readPackBytes(entry.packId, entry.offset, entry.end - entry.offset, true);
    const header = decodeEntryHeader(raw, 0);
    if (header === null) throw new PackError('PACK_TRUNCATED', `entry ${entry.oid} header truncated`);
    return {
      packType: header.type,
      storedSize: header.size,
      zlib: raw.subarray(entry.dataOffset - entry.offset),
    };
  }

  /** The inflated content of an entry, resolving its delta chain iteratively. */
  async readEntryData(top: StoredEntryRef): Promise<Uint8Array> {
    const cached = this.cache.get(top.oid);
    if (cached !== undefined) return cached;
    // Walk down to a cached object or a whole object, remembering the deltas on the way.
    const chain: StoredEntryRef[] = [];
    let cur = top;
    let data: Uint8Array | undefined;
    for (;;) {
      if (cur.baseOid === null) {
        data = await this.inflateEntry(cur, cur.size);
        this.cache.set(cur.oid, data);
        break;
      }
      chain.push(cur);
      if (chain.length > MAX_CHAIN)
        throw new PackError('PACK_DELTA_CYCLE', `delta chain of ${top.oid} too long or cyclic`);
      // A cached base needs no index row: a walk in stored order has mostly just read it.
      data = this.cache.get(cur.baseOid);
      if (data !== undefined) break;
      const base = await this.entry(cur.baseOid);
      if (base === null)
        throw new PackError('PACK_MISSING_BASE', `delta base ${cur.baseOid} of ${cur.oid} is missing`);
      cur = base;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const e = chain[i];
      const delta = await this.inflateEntry(e, -1);
      data = applyDelta(data, delta);
      if (data.length !== e.size) {
        throw new PackError(
          'PACK_SIZE_MISMATCH',
          `object ${e.oid} has ${data.length} bytes, index says ${e.size}`,
        );
      }
      this.cache.set(e.oid, data);
    }
    return data;
  }

  /** Inflate an entry's zlib stream; `size` -1 means "read the size from the entry header". */
  private async inflateEntry(e: StoredEntryRef, size: number): Promise<Uint8Array> {
    const raw = await this.readPackBytes(e.packId, e.offset, e.end - e.offset);
    const header = decodeEntryHeader(raw, 0);
    if (header === null) throw new PackError('PACK_TRUNCATED', `entry ${e.oid} header truncated`);
    if (size < 0) size = header.size;
    return this.inflate(raw.subarray(e.dataOffset - e.offset), size);
  }

  /** `inOrder`: a read of a pass through packs in stored order (see PackStore.readPackInOrder). */
  private readPackBytes(
    packId: number,
    offset: number,
    length: number,
    inOrder = false,
  ): Promise<Uint8Array> {
    if (this.pending && packId === this.pending.packId) return this.pending.read(offset, length);
    if (inOrder && this.store.readPackInOrder) return this.store.readPackInOrder(packId, offset, length);
    return this.store.readPack(packId, offset, length);
  }
}
