/**
 * The binary form of a pack's object index (what git keeps in a .idx file): one fixed-size record
 * per object, sorted by object id and cut into chunks stored as rows. A push writes a few hundred
 * rows of records instead of one SQLite row per object; a lookup binary-searches a chunk.
 *
 * Record layout (76 bytes, big-endian numbers):
 *   0  oid (20 raw bytes)        20 delta base oid (zeros when none)
 *   40 flags: pack type (bits 0-2), has a base (bit 3)
 *   41 header length (data offset - offset)   42 reserved (2)
 *   44 delta depth (u32)         48 CRC-32 (u32)
 *   52 offset (f64)              60 end of the zlib stream (f64)   68 inflated size (f64)
 */

import { packTypeToType, typeToPackType } from '../git/object-header';
import { hexInto, idHexAt } from '../git/oid';
import { compareIds } from '../git/oid-set';
import { type ChunkSource, findSortedRecord, mergeSortedRuns } from '../git/sorted-records';
import type { Oid, PackEntry } from '../git/store';

export type { ChunkSource };

export const RECORD_SIZE = 76;
/**
 * Records per stored chunk: ~2.4 KB, so one random lookup reads little. A walk looks up every
 * tree and commit it reads, mostly missing the chunk cache in a big repository, and a row's read
 * costs with its bytes: at 128 records (9.7 KB) the large history's walking clone took 45-56 s,
 * at 32 33-34 s, at 16 37 s (more rows, each read's fixed cost). Packs indexed before keep
 * their chunks: a chunk's records are found by its first id, whatever its length.
 */
export const RECORDS_PER_CHUNK = 32;
export const CHUNK_BYTES = RECORD_SIZE * RECORDS_PER_CHUNK;

const HAS_BASE = 8;

/** Writes `e` as the record at byte `at` of `out` (`view`: a DataView of all of `out`). */
export function encodeRecord(
  e: PackEntry,
  out: Uint8Array,
  at: number,
  view = new DataView(out.buffer, out.byteOffset, out.byteLength),
): void {
  writeHex(e.oid, out, at);
  if (e.baseOid === null) out.fill(0, at + 20, at + 40);
  else writeHex(e.baseOid, out, at + 20);
  const headerLength = e.dataOffset - e.offset;
  if (headerLength < 0 || headerLength > 255)
    throw new Error(`entry header of ${e.oid} is ${headerLength} bytes`);
  out[at + 40] = typeToPackType(e.type) | (e.baseOid === null ? 0 : HAS_BASE);
  out[at + 41] = headerLength;
  out[at + 42] = 0;
  out[at + 43] = 0;
  view.setUint32(at + 44, e.depth);
  view.setUint32(at + 48, e.crc32 >>> 0);
  view.setFloat64(at + 52, e.offset);
  view.setFloat64(at + 60, e.end);
  view.setFloat64(at + 68, e.size);
}

/**
 * The entry of the record at byte `at` of `chunk`, in pack `packId`. `oid`: the record's id as
 * hex when the caller has it (a lookup by it), instead of a new string per entry.
 */
export function decodeRecord(chunk: Uint8Array, at: number, packId: number, oid?: Oid): PackEntry {
  const flags = chunk[at + 40];
  const type = packTypeToType(flags & 7);
  if (type === null) throw new Error(`corrupt object index record in pack ${packId}`);
  const view = new DataView(chunk.buffer, chunk.byteOffset + at, RECORD_SIZE);
  const offset = view.getFloat64(52);
  return {
    oid: oid ?? idHexAt(chunk, at),
    packId,
    offset,
    dataOffset: offset + chunk[at + 41],
    end: view.getFloat64(60),
    type,
    size: view.getFloat64(68),
    baseOid: flags & HAS_BASE ? idHexAt(chunk, at + 20) : null,
    depth: view.getUint32(44),
    crc32: view.getUint32(48),
  };
}

/** Writes an oid's 20 bytes at `at`. */
function writeHex(oid: Oid, out: Uint8Array, at: number): void {
  if (!hexInto(oid, out, at)) throw new Error(`not an object id: ${oid}`);
}

/** Byte position of the record for `key` (20 raw bytes) in a sorted chunk, or -1. */
export function findRecord(chunk: Uint8Array, key: Uint8Array): number {
  return findSortedRecord(chunk, RECORD_SIZE, key);
}

/** Most records `sortedOrder` takes at once: a position must fit in 21 bits beside the key. */
export const MAX_SORT = 1 << 21;

function prefixAt(buf: Uint8Array, at: number): number {
  return ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
}

/**
 * The positions of `n` records of `buf` in oid order; records with one oid stay in the order
 * given. Sorted as numbers (an oid's first 4 bytes and the position packed in a double) without a
 * comparator call per pair, which took most of writing a push's index; the few records sharing a
 * 4-byte prefix are then ordered by the whole oid.
 */
export function sortedOrder(buf: Uint8Array, n: number): Uint32Array {
  if (n > MAX_SORT) throw new RangeError(`cannot sort ${n} records at once`);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = prefixAt(buf, i * RECORD_SIZE) * MAX_SORT + i;
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i] % MAX_SORT;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && prefixAt(buf, order[i] * RECORD_SIZE) === prefixAt(buf, order[start] * RECORD_SIZE))
      continue;
    // Insertion sort of the tie: stable, and ties are a handful of records.
    for (let j = start + 1; j < i; j++) {
      const v = order[j];
      let k = j - 1;
      while (k >= start && compareIds(buf, order[k] * RECORD_SIZE, buf, v * RECORD_SIZE) > 0) {
        order[k + 1] = order[k];
        k -= 1;
      }
      order[k + 1] = v;
    }
    start = i;
  }
  return order;
}

/**
 * Cuts sorted records into chunks: `push` a record, `flush` what is left at the end. A record
 * whose oid equals the previous one is dropped (an object twice in one pack: the first copy
 * stays, as git's index keeps one).
 */
export class ChunkBuilder {
  private buf = new Uint8Array(CHUNK_BYTES);
  private fill = 0;
  private last = new Uint8Array(20);
  private any = false;
  count = 0;

  constructor(private readonly write: (chunk: Uint8Array) => void) {}

  /** Appends the record at `at` of `src` (its oid must not sort below the previous one). */
  push(src: Uint8Array, at: number): void {
    if (this.any && compareIds(src, at, this.last, 0) === 0) return;
    this.any = true;
    const buf = this.buf;
    const fill = this.fill;
    for (let i = 0; i < 20; i++) this.last[i] = src[at + i];
    for (let i = 0; i < RECORD_SIZE; i++) buf[fill + i] = src[at + i];
    this.fill += RECORD_SIZE;
    this.count += 1;
    if (this.fill === CHUNK_BYTES) this.flush();
  }

  flush(): void {
    if (this.fill === 0) return;
    this.write(this.buf.slice(0, this.fill));
    this.fill = 0;
  }
}

/**
 * Merges sorted runs into one sorted sequence of records, handing each to `out` (duplicates
 * across runs included: the earlier run's record comes first). Memory: one chunk per run.
 */
export function mergeRuns(runs: readonly ChunkSource[], out: (chunk: Uint8Array, at: number) => void): void {
  mergeSortedRuns(runs, RECORD_SIZE, out);
}
