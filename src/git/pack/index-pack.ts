import { cacheScaleFor } from '../cache-scale';
import { GitError, PackError } from '../errors';
import { objectHeader, objectHeaderLength, packTypeToType, writeObjectHeader } from '../object-header';
import { ObjectDatabase } from '../odb';
import { bytesToHex } from '../oid';
import { handOver, Pacer } from '../pacer';
import { createSha1, digestOid, hashWhole, type Sha1Factory } from '../sha1';
import type { ObjectType, Oid, PackEntry, PackStore, PackWriter } from '../store';
import type { Crc32Fn } from './crc32';
import { decodeEntryHeader, decodeOfsDelta } from './entry-header';
import { EntryTable, UNKNOWN_BASE, WHOLE } from './entry-table';
import { PackInput } from './pack-input';
import { resolveDeltas } from './resolve-deltas';
import { type InflateFn, type InflaterFactory, StreamInflater } from './zlib';

export interface IndexProgress {
  readonly phase: 'receiving' | 'resolving';
  readonly done: number;
  readonly total: number;
}

export interface IndexPackOptions {
  /** Largest object (or delta) accepted, in inflated bytes. */
  readonly maxObjectSize?: number;
  /** Most objects the pack may hold; a larger one is refused from its header, before any is read. */
  readonly maxObjectCount?: number;
  readonly onProgress?: (p: IndexProgress) => void;
  /** Bytes of inflated delta bases kept while resolving (default 32 MiB, less for big packs). */
  readonly cacheBytes?: number;
  /** Bytes of small inflated deltas kept from receiving for resolving (default 16 MiB, less for big packs). */
  readonly deltaBytes?: number;
  /** SHA-1 implementation (a native one is much faster than the JavaScript default). */
  readonly createSha1?: Sha1Factory;
  /** Inflate of a whole zlib stream of known size (a native one is faster than the default). */
  readonly inflate?: InflateFn;
  /** CRC-32 of the entries (a native one is faster than the default). */
  readonly crc32?: Crc32Fn;
  /** The inflater of the arriving entries (a native one is faster than the default). */
  readonly createInflater?: InflaterFactory;
  /**
   * Called with every commit, tree and tag of the pack (never blobs) and its content, while the
   * indexer has it in hand: checks such as fsck and connectivity run here instead of reading
   * every object back afterwards. `data` is only valid during the call (it may be a reused
   * buffer): copy what must outlive it.
   */
  readonly onObject?: ObjectVisitor;
}

/** See `IndexPackOptions.onObject`. */
export type ObjectVisitor = (oid: Oid, type: ObjectType, data: Uint8Array) => void | Promise<void>;

export interface IndexPackResult {
  readonly objectCount: number;
  /** The pack's trailing SHA-1 (verified). */
  readonly packChecksum: Uint8Array;
  /** Every object of the pack, in pack order. */
  readonly oids: PackIds;
  /** Bases of deltas that came from outside the pack (a thin pack), each once; none for a whole pack. */
  readonly externalBases: readonly Oid[];
}

/**
 * A header decoded from the bytes already arrived, consumed, or null when it is not all there.
 * Synchronous: nearly every header is whole in the current chunk, and a promise per header (or
 * per byte) was a measurable part of indexing tens of thousands of small objects.
 */
function headerNow<T extends { readonly length: number }>(
  inp: PackInput,
  decode: (bytes: Uint8Array) => T | null,
): T | null {
  const h = decode(inp.buffered());
  if (h !== null) inp.consume(h.length);
  return h;
}

/** A header that spans chunks, read byte by byte. */
async function headerAcross<T>(inp: PackInput, decode: (bytes: Uint8Array) => T | null): Promise<T> {
  const bytes: number[] = [];
  for (;;) {
    bytes.push(await inp.byte());
    const h = decode(Uint8Array.from(bytes));
    if (h !== null) return h;
  }
}

/**
 * Index entries handed to the writer at once: a store orders and writes them as it sees fit,
 * so the batch only saves calls, and small it lets the entries be collected young.
 */
const ENTRY_BATCH = 1024;
/** Deltas up to this size are kept inflated from receiving to resolving, within `deltaBytes`. */
const KEPT_DELTA_MAX = 64 * 1024;
const DEFAULT_DELTA_BYTES = 16 * 1024 * 1024;
const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;
const PACK_SIGNATURE = 0x5041434b; // "PACK"
/** Whole objects up to this size are inflated into one reused buffer and hashed in one call. */
const SMALL_OBJECT_MAX = 64 * 1024;

function pastSize(offset: number, size: number): PackError {
  return new PackError('PACK_SIZE_MISMATCH', `entry at ${offset} inflates past its declared ${size} bytes`);
}

/** The ids of a pack's objects, read from the indexer's own table rather than listed again. */
export interface PackIds extends Iterable<Oid> {
  readonly length: number;
  /**
   * Each id as its 20 bytes at `at` of `bytes` (valid during the call), without a string; the
   * thread is handed over between steps (a push's 411,000 ids into a spilling set took 300 ms).
   */
  forEachBytes(visit: (bytes: Uint8Array, at: number) => void): Promise<void>;
}

/** Ids visited between two pauses of `PackIds.forEachBytes`. */
const IDS_STEP = 16384;

/** The ids are in the entry table, as bytes: a list of strings besides it was ~29 MiB for 411,000 objects. */
function packIds(entries: EntryTable): PackIds {
  return {
    length: entries.length,
    async forEachBytes(visit) {
      for (let from = 0; from < entries.length; from += IDS_STEP) {
        if (from > 0) await handOver();
        entries.forEachId(visit, from, Math.min(from + IDS_STEP, entries.length));
      }
    },
    *[Symbol.iterator]() {
      for (let i = 0; i < entries.length; i++) {
        const oid = entries.oid(i);
        if (oid !== undefined) yield oid;
      }
    },
  };
}

/**
 * Read a pack as it arrives, append its raw bytes to `writer`, verify it and index every
 * object. Whole objects are hashed while they inflate; deltas are resolved afterwards
 * (base-first, iteratively) by reading their bytes back from `writer`. Ref-delta bases
 * missing from the pack are looked up in `base` (thin packs) and stay there: nothing is
 * appended for them. On failure the caller should `writer.abort()`.
 */
export async function indexPack(
  input: AsyncIterable<Uint8Array>,
  writer: PackWriter,
  base: PackStore,
  opts: IndexPackOptions = {},
): Promise<IndexPackResult> {
  const maxObjectSize = opts.maxObjectSize ?? Number.MAX_SAFE_INTEGER;
  const newSha1 = opts.createSha1 ?? createSha1;
  const inp = new PackInput(input, (chunk) => writer.append(chunk), newSha1, opts.crc32);
  let batch: PackEntry[] = [];
  const emit = async (e: PackEntry): Promise<void> => {
    batch.push(e);
    if (batch.length >= ENTRY_BATCH) {
      const b = batch;
      batch = [];
      await writer.addEntries(b);
    }
  };
  try {
    const header = await inp.bytes(12);
    const view = new DataView(header.buffer, header.byteOffset, 12);
    if (view.getUint32(0) !== PACK_SIGNATURE)
      throw new PackError('PACK_BAD_SIGNATURE', 'not a pack (bad signature)');
    const version = view.getUint32(4);
    if (version !== 2 && version !== 3)
      throw new PackError('PACK_BAD_VERSION', `unsupported pack version ${version}`);
    const count = view.getUint32(8);
    if (opts.maxObjectCount !== undefined && count > opts.maxObjectCount) {
      throw new GitError(
        'PUSH_TOO_LARGE',
        `pack has ${count} objects, more than the ${opts.maxObjectCount} one push may bring; push the history in parts`,
      );
    }

    const cacheScale = cacheScaleFor(count);
    const entries = new EntryTable(count, (opts.deltaBytes ?? DEFAULT_DELTA_BYTES) * cacheScale);
    const inflater = opts.createInflater?.() ?? new StreamInflater();
    let scratch = new Uint8Array(0);

    // Entries already received inflate and hash without waiting for input.
    const pacer = new Pacer();
    let lastSize = 0;
    for (let i = 0; i < count; i++) {
      const pause = pacer.tick(lastSize);
      if (pause) await pause;
      const offset = inp.offset;
      inp.startCrc();
      const decodeHeader = (b: Uint8Array) => decodeEntryHeader(b, 0, offset);
      const header = headerNow(inp, decodeHeader) ?? (await headerAcross(inp, decodeHeader));
      const packType = header.type;
      const size = header.size;
      lastSize = size;
      if (size > maxObjectSize) {
        throw new GitError('OBJECT_TOO_LARGE', `entry at ${offset} is ${size} bytes, limit ${maxObjectSize}`);
      }
      let base = WHOLE;
      let baseOid: Oid | null = null;
      if (packType === 6) {
        const decodeOfs = (b: Uint8Array) => decodeOfsDelta(b, 0, offset);
        const n = (headerNow(inp, decodeOfs) ?? (await headerAcross(inp, decodeOfs))).distance;
        base = n === 0 ? -1 : entries.find(offset - n);
        if (base < 0) {
          throw new PackError(
            'PACK_BAD_ENTRY',
            `entry at ${offset}: ofs-delta base ${offset - n} is not an entry`,
          );
        }
      } else if (packType === 7) {
        base = UNKNOWN_BASE;
        baseOid = bytesToHex(await inp.bytes(20));
      }
      const dataOffset = inp.offset;
      const type = packTypeToType(packType);
      // A small whole object inflates behind its header in one reused buffer and is hashed in one
      // call when complete: a native call per header and per piece cost more than the hashing.
      const small = type !== null && size <= SMALL_OBJECT_MAX;
      let headerLength = 0;
      if (small) {
        headerLength = objectHeaderLength(type, size);
        if (scratch.length < headerLength + size + 1) scratch = new Uint8Array(SMALL_OBJECT_MAX + 64);
        writeObjectHeader(type, size, scratch, 0);
      }
      const sha = type === null || small ? null : newSha1();
      if (sha !== null && type !== null) sha.update(objectHeader(type, size));
      // Commits, trees and tags are kept whole for the visitor (they are small; blobs never are).
      const keep = opts.onObject !== undefined && type !== null && type !== 'blob' && size <= maxObjectSize;
      // Small deltas are kept too, within a budget, so resolving need not read and inflate them again.
      const keptAt = type === null && size <= KEPT_DELTA_MAX ? entries.kept.reserve(size) : -1;
      const content = small
        ? scratch.subarray(headerLength, headerLength + size)
        : keep
          ? new Uint8Array(size)
          : keptAt >= 0
            ? entries.kept.view(keptAt, size)
            : null;
      // A small whole object inflates straight into place, a byte of room past it to see one too long.
      if (small) inflater.startInto(scratch.subarray(headerLength, headerLength + size + 1));
      else {
        inflater.start((chunk) => {
          if (inflater.total > size) throw pastSize(offset, size);
          sha?.update(chunk);
          content?.set(chunk, inflater.total - chunk.length);
        });
      }
      while (!inflater.done) {
        let avail = inp.buffered();
        if (avail.length === 0) avail = await inp.available();
        if (avail.length === 0)
          throw new PackError('PACK_TRUNCATED', `pack ends inside the entry at ${offset}`);
        inp.consume(inflater.push(avail));
        if (inflater.total > size) throw pastSize(offset, size);
      }
      if (inflater.total !== size) {
        throw new PackError(
          'PACK_SIZE_MISMATCH',
          `entry at ${offset} inflates to ${inflater.total} bytes, declared ${size}`,
        );
      }
      const end = inp.offset;
      const crc32 = inp.crc();
      const row = entries.add({
        offset,
        dataOffset,
        end,
        crc32,
        size,
        base,
        baseOid,
        keptAt,
      });
      if (type !== null) {
        const oid =
          sha !== null ? digestOid(sha) : hashWhole(scratch.subarray(0, headerLength + size), newSha1);
        if (keep && content !== null) await opts.onObject?.(oid, type, content);
        entries.resolve(row, oid, type, 0);
        await emit({
          oid,
          packId: writer.packId,
          offset,
          dataOffset,
          end,
          type,
          size,
          baseOid: null,
          depth: 0,
          crc32,
        });
      }
      opts.onProgress?.({ phase: 'receiving', done: i + 1, total: count });
    }

    const checksum = inp.digest();
    const trailer = await inp.bytes(20);
    if (bytesToHex(trailer) !== bytesToHex(checksum)) {
      throw new PackError('PACK_BAD_CHECKSUM', 'pack trailer does not match the SHA-1 of its contents');
    }
    if (inp.bufferedRest() > 0) throw new PackError('PACK_TRAILING_DATA', 'garbage after the pack trailer');

    await resolveDeltas({
      packId: writer.packId,
      read: (off, len) => writer.read(off, len),
      base: new ObjectDatabase(base, {
        cacheBytes: 8 * 1024 * 1024,
        inflate: opts.inflate,
        createSha1: newSha1,
      }),
      createSha1: newSha1,
      inflate: opts.inflate,
      onObject: opts.onObject,
      entries,
      cacheBytes: (opts.cacheBytes ?? DEFAULT_CACHE_BYTES) * cacheScale,
      maxObjectSize,
      emit,
      onProgress: opts.onProgress
        ? (done) => opts.onProgress?.({ phase: 'resolving', done, total: entries.deltaCount })
        : undefined,
    });
    if (batch.length > 0) await writer.addEntries(batch);
    batch = [];
    await writer.seal?.();
    const externalBases = [...new Set(entries.externalBase.values())];
    return { objectCount: count, packChecksum: checksum, oids: packIds(entries), externalBases };
  } catch (e) {
    // Stop the source on failure; on success the input is left alone (the pack was all we read).
    await inp.close().catch(() => undefined); // a failure to close must not hide the pack error
    throw e;
  }
}
