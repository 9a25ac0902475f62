/**
 * The stored entries a pack is written from, as typed columns. A PackEntry object each, with
 * hex strings of its id and base, cost ~170 bytes an object: a clone writing the 411,000 objects
 * of a history pushed in parts ran its isolate out of memory on them. Here a row is 54 bytes with
 * its id as 20 bytes (row `i` is the id at `ids[20i ..]`, no string kept per object), a delta's
 * base named by its row when the pack holds it (a map keeps the few others), and entries are
 * rebuilt one at a time as they are written.
 */
import { ObjectError } from '../errors';
import { packTypeToType, typeToPackType } from '../object-header';
import { hexInto, idHexAt } from '../oid';
import type { ObjectType, Oid, PackEntry } from '../store';
import { rowOfBytes } from './write-ids';

/** `base` of a whole object. */
const WHOLE = -1;
/** `base` of a delta whose base is not one of the rows (see `outside`). */
const OUTSIDE = -2;
/** Largest zlib stream or inflated size of one entry the 32-bit columns hold. */
const MAX_ENTRY_BYTES = 0xffffffff;

export class WriteEntries {
  private readonly packId: Int32Array;
  private readonly offset: Float64Array;
  private readonly headerLength: Uint8Array;
  private readonly span: Uint32Array;
  private readonly size: Uint32Array;
  private readonly type: Uint8Array;
  private readonly depth: Uint32Array;
  private readonly crc32: Uint32Array;
  /** Row of a delta's base, or `WHOLE`, or `OUTSIDE`. */
  private readonly base: Int32Array;
  /** Bases that are not rows (the client's, a cached pack's), by row. */
  private readonly outside = new Map<number, Oid>();
  private readonly scratch = new Uint8Array(20);

  /** `ids`: the objects as sorted 20-byte records, each once; their entries are set by `set`. */
  constructor(readonly ids: Uint8Array) {
    const capacity = ids.length / 20;
    this.packId = new Int32Array(capacity);
    this.offset = new Float64Array(capacity);
    this.headerLength = new Uint8Array(capacity);
    this.span = new Uint32Array(capacity);
    this.size = new Uint32Array(capacity);
    this.type = new Uint8Array(capacity);
    this.depth = new Uint32Array(capacity);
    this.crc32 = new Uint32Array(capacity);
    this.base = new Int32Array(capacity);
  }

  get length(): number {
    return this.ids.length / 20;
  }

  /** Set row `i` to the entry of its id. */
  set(i: number, e: PackEntry): void {
    const span = e.end - e.dataOffset;
    if (span > MAX_ENTRY_BYTES || e.size > MAX_ENTRY_BYTES)
      throw new ObjectError('OBJECT_TOO_LARGE', `stored entry of ${e.oid} is larger than 4 GiB`);
    this.packId[i] = e.packId;
    this.offset[i] = e.offset;
    this.headerLength[i] = e.dataOffset - e.offset;
    this.span[i] = span;
    this.size[i] = e.size;
    this.type[i] = typeToPackType(e.type);
    this.depth[i] = e.depth;
    this.crc32[i] = e.crc32;
    if (e.baseOid === null) {
      this.base[i] = WHOLE;
      return;
    }
    if (!hexInto(e.baseOid, this.scratch, 0))
      throw new ObjectError('INVALID_OID', `bad delta base of ${e.oid}: ${e.baseOid}`);
    const row = rowOfBytes(this.ids, this.scratch, 0);
    this.base[i] = row >= 0 ? row : OUTSIDE;
    if (row < 0) this.outside.set(i, e.baseOid);
  }

  /** The row of row `i`'s delta base when the pack holds it, else -1 (a whole object, or a base outside). */
  baseRow(i: number): number {
    return Math.max(-1, this.base[i]);
  }

  /** Rows in stored order (pack, then offset): bases before their ofs-deltas, reads in sequence. */
  storedOrder(): Int32Array {
    const order = new Int32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const { packId, offset } = this;
    return order.sort((a, b) => packId[a] - packId[b] || offset[a] - offset[b]);
  }

  /** The entry of row `i`. */
  entry(i: number): PackEntry {
    const offset = this.offset[i];
    const dataOffset = offset + this.headerLength[i];
    const base = this.base[i];
    return {
      oid: idHexAt(this.ids, i * 20),
      packId: this.packId[i],
      offset,
      dataOffset,
      end: dataOffset + this.span[i],
      type: packTypeToType(this.type[i]) as ObjectType,
      size: this.size[i],
      baseOid:
        base === WHOLE
          ? null
          : base === OUTSIDE
            ? (this.outside.get(i) as Oid)
            : idHexAt(this.ids, base * 20),
      depth: this.depth[i],
      crc32: this.crc32[i],
    };
  }
}
