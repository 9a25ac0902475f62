/**
 * The entries of a pack being indexed, whole objects and deltas alike, as columns of typed arrays
 * in pack order (git's index-pack keeps a C struct per object for the same reason). An object
 * per entry cost some 150 bytes for a whole object (its map entry, hex id and location) and 250
 * for a delta: a 411,000-object push held ~45 MiB of them. Here an entry costs 54 bytes, its id
 * included; rarer facts (ref-delta bases, thin-pack bases, deltas kept inflated) live in maps
 * keyed by row. Bases are named by row, so resolving never searches for an offset.
 */

import { GitError, PackError } from '../errors';
import { grown } from '../grown';
import { packTypeToType, typeToPackType } from '../object-header';
import { hexInto, idHexAt } from '../oid';
import type { ObjectType, Oid } from '../store';
import { KeptDeltas } from './kept-deltas';

const OID_BYTES = 20;
/** Largest zlib stream or inflated size of one entry the 32-bit columns hold. */
const MAX_ENTRY_BYTES = 0xffffffff;

/** `base` of a whole object. */
export const WHOLE = -3;
/** `base` of a ref-delta whose base is not found yet. */
export const UNKNOWN_BASE = -2;
/** `base` of a delta whose base is outside the pack (a thin pack's, read from the store). */
export const EXTERNAL_BASE = -1;

/** An entry as the indexer reads it from the pack. */
export interface EntryInput {
  readonly offset: number;
  readonly dataOffset: number;
  readonly end: number;
  readonly crc32: number;
  /** Inflated size of the entry's data (of the delta, for a delta). */
  readonly size: number;
  /** Row of an ofs-delta's base, `UNKNOWN_BASE` for a ref-delta, `WHOLE` for a whole object. */
  readonly base: number;
  /** Base id of a ref-delta, else null. */
  readonly baseOid: Oid | null;
  /** Where `kept` holds the inflated delta, when the indexer kept it for resolving. */
  readonly keptAt?: number;
}

export class EntryTable {
  length = 0;
  /** Pack offset of each entry (float: a pack may pass 4 GiB, entries may not). */
  offset = new Float64Array(0);
  private headerLength = new Uint8Array(0);
  /** Bytes of the entry's zlib stream. */
  private span = new Uint32Array(0);
  size = new Uint32Array(0);
  /** Row of the base (see `WHOLE`, `UNKNOWN_BASE`, `EXTERNAL_BASE`). */
  base = new Int32Array(0);
  crc32 = new Uint32Array(0);
  depth = new Int32Array(0);
  /** The object's pack type number (1-4) once its id is known, 0 before. */
  private typeCode = new Uint8Array(0);
  private oids = new Uint8Array(0);
  /** Base ids of ref-deltas, by row. */
  readonly baseOid = new Map<number, Oid>();
  /** Bases found outside the pack (thin packs), by row. */
  readonly externalBase = new Map<number, Oid>();
  /** Small deltas kept inflated from receiving. */
  readonly kept: KeptDeltas;
  /** 1 + the position in `kept` of a row's delta; 0 for none (or taken). */
  private keptAt = new Int32Array(0);
  deltaCount = 0;

  /**
   * `maxRows`: the pack's object count, which no table of its entries outgrows; `keptBytes`: the
   * budget of kept deltas.
   */
  constructor(
    private readonly maxRows = Number.POSITIVE_INFINITY,
    keptBytes = 0,
  ) {
    this.kept = new KeptDeltas(keptBytes);
  }

  /** Append an entry; entries must come in pack order. Returns its row. */
  add(e: EntryInput): number {
    const span = e.end - e.dataOffset;
    if (span > MAX_ENTRY_BYTES || e.size > MAX_ENTRY_BYTES) {
      throw new GitError('OBJECT_TOO_LARGE', `entry at ${e.offset} is larger than 4 GiB`);
    }
    if (this.length === this.offset.length) this.grow();
    const i = this.length++;
    this.offset[i] = e.offset;
    this.headerLength[i] = e.dataOffset - e.offset;
    this.span[i] = span;
    this.size[i] = e.size;
    this.base[i] = e.base;
    this.crc32[i] = e.crc32;
    if (e.base !== WHOLE) this.deltaCount++;
    if (e.baseOid !== null) this.baseOid.set(i, e.baseOid);
    if (e.keptAt !== undefined && e.keptAt >= 0) this.keptAt[i] = e.keptAt + 1;
    return i;
  }

  dataOffset(i: number): number {
    return this.offset[i] + this.headerLength[i];
  }

  /** End of the entry's zlib stream. */
  end(i: number): number {
    return this.dataOffset(i) + this.span[i];
  }

  isDelta(i: number): boolean {
    return this.base[i] !== WHOLE;
  }

  /** The row of the entry at pack offset `offset`, or -1 (binary search: rows are in pack order). */
  find(offset: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.offset[mid];
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The kept inflated delta of row `i`, handed out once. */
  takeKept(i: number): Uint8Array | undefined {
    const at = this.keptAt[i] - 1;
    if (at < 0) return undefined;
    this.keptAt[i] = 0;
    return this.kept.take(at, this.size[i]);
  }

  /** Record the id of row `i`; for a delta, also the row its base turned out to be. */
  resolve(i: number, oid: Oid, type: ObjectType, depth: number, base = this.base[i]): void {
    if (!hexInto(oid, this.oids, i * OID_BYTES)) throw new PackError('PACK_BAD_ENTRY', `bad id ${oid}`);
    this.typeCode[i] = typeToPackType(type);
    this.depth[i] = depth;
    this.base[i] = base;
  }

  /** The id of row `i` once known, else undefined. */
  oid(i: number): Oid | undefined {
    if (this.typeCode[i] === 0) return undefined;
    return idHexAt(this.oids, i * OID_BYTES);
  }

  /** Each known id of rows `from` to `to` as its 20 bytes at `at` of `bytes`, in pack order. */
  forEachId(visit: (bytes: Uint8Array, at: number) => void, from = 0, to = this.length): void {
    for (let i = from; i < to; i++) if (this.typeCode[i] !== 0) visit(this.oids, i * OID_BYTES);
  }

  /** The type of row `i` once known, else undefined. */
  type(i: number): ObjectType | undefined {
    return packTypeToType(this.typeCode[i]) ?? undefined;
  }

  /** The first row whose id is still unknown, or -1. */
  firstUnresolved(): number {
    return this.typeCode.subarray(0, this.length).indexOf(0);
  }

  private grow(): void {
    const cap = Math.min(Math.max(1024, this.offset.length * 2), Math.max(this.maxRows, this.length + 1));
    this.offset = grown(this.offset, new Float64Array(cap));
    this.headerLength = grown(this.headerLength, new Uint8Array(cap));
    this.span = grown(this.span, new Uint32Array(cap));
    this.size = grown(this.size, new Uint32Array(cap));
    this.base = grown(this.base, new Int32Array(cap));
    this.crc32 = grown(this.crc32, new Uint32Array(cap));
    this.depth = grown(this.depth, new Int32Array(cap));
    this.typeCode = grown(this.typeCode, new Uint8Array(cap));
    this.keptAt = grown(this.keptAt, new Int32Array(cap));
    this.oids = grown(this.oids, new Uint8Array(cap * OID_BYTES));
  }
}
