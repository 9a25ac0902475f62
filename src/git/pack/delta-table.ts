/**
 * The delta entries of a pack being indexed, as columns of typed arrays (git's index-pack keeps
 * a C struct per object for the same reason). An object per delta with a map from offsets cost
 * some 250 bytes per delta: a pack of 300,000 deltas was most of a 128 MB isolate. Here a delta
 * costs about 80 bytes, its id included; rarer facts (ref-delta bases, thin-pack bases,
 * deltas kept inflated) live in maps keyed by row.
 */
import { PackError } from '../errors';
import { bytesToHex, hexInto } from '../oid';
import type { ObjectType, Oid } from '../store';

const OID_BYTES = 20;

/** A delta entry as the indexer reads it from the pack. */
export interface DeltaInput {
  readonly offset: number;
  readonly dataOffset: number;
  readonly end: number;
  readonly crc32: number;
  /** Inflated size of the delta data. */
  readonly deltaSize: number;
  /** Base offset of an ofs-delta, else -1. */
  readonly baseOffset: number;
  /** Base id of a ref-delta, else null. */
  readonly baseOid: Oid | null;
  /** The inflated delta, when the indexer kept it for resolving. */
  readonly data?: Uint8Array;
}

const TYPES: readonly (ObjectType | undefined)[] = [undefined, 'commit', 'tree', 'blob', 'tag'];
const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

export class DeltaTable {
  length = 0;
  offset = new Float64Array(0);
  dataOffset = new Float64Array(0);
  end = new Float64Array(0);
  deltaSize = new Float64Array(0);
  baseOffset = new Float64Array(0);
  /** Offset of the base once resolved; -1 for a base outside the pack; -2 while unresolved. */
  resolvedBase = new Float64Array(0);
  crc32 = new Uint32Array(0);
  depth = new Int32Array(0);
  private typeCode = new Uint8Array(0);
  /** Ids of resolved deltas, 20 bytes a row (as strings they were ~17 MiB for 309,000 deltas). */
  private oids = new Uint8Array(0);
  /** Base ids of ref-deltas, by row. */
  readonly baseOid = new Map<number, Oid>();
  /** Bases found outside the pack (thin packs), by row. */
  readonly externalBase = new Map<number, Oid>();
  /** Deltas kept inflated from receiving, by row (each taken once). */
  private readonly kept = new Map<number, Uint8Array>();

  /** `maxRows`: the pack's object count, which no table of its deltas outgrows. */
  constructor(private readonly maxRows = Number.POSITIVE_INFINITY) {}

  /** Append a delta; entries must come in pack order. Returns its row. */
  add(d: DeltaInput): number {
    if (this.length === this.offset.length) this.grow();
    const i = this.length++;
    this.offset[i] = d.offset;
    this.dataOffset[i] = d.dataOffset;
    this.end[i] = d.end;
    this.deltaSize[i] = d.deltaSize;
    this.baseOffset[i] = d.baseOffset;
    this.resolvedBase[i] = -2;
    this.crc32[i] = d.crc32;
    if (d.baseOid !== null) this.baseOid.set(i, d.baseOid);
    if (d.data !== undefined) this.kept.set(i, d.data);
    return i;
  }

  /** The row of the delta at pack offset `offset`, or -1 (binary search: rows are in pack order). */
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
    const data = this.kept.get(i);
    if (data !== undefined) this.kept.delete(i);
    return data;
  }

  resolve(i: number, oid: Oid, type: ObjectType, depth: number, baseOffset: number): void {
    if (!hexInto(oid, this.oids, i * OID_BYTES)) throw new PackError('PACK_BAD_ENTRY', `bad id ${oid}`);
    this.typeCode[i] = TYPE_CODES[type];
    this.depth[i] = depth;
    this.resolvedBase[i] = baseOffset;
  }

  /** The id of a resolved delta, else undefined. */
  oid(i: number): Oid | undefined {
    if (this.typeCode[i] === 0) return undefined;
    return bytesToHex(this.oids.subarray(i * OID_BYTES, (i + 1) * OID_BYTES));
  }

  /** The type of a resolved delta, else undefined. */
  type(i: number): ObjectType | undefined {
    return TYPES[this.typeCode[i]];
  }

  private grow(): void {
    const cap = Math.min(Math.max(1024, this.offset.length * 2), Math.max(this.maxRows, this.length + 1));
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.offset = f64(this.offset);
    this.dataOffset = f64(this.dataOffset);
    this.end = f64(this.end);
    this.deltaSize = f64(this.deltaSize);
    this.baseOffset = f64(this.baseOffset);
    this.resolvedBase = f64(this.resolvedBase);
    const crc = new Uint32Array(cap);
    crc.set(this.crc32);
    this.crc32 = crc;
    const depth = new Int32Array(cap);
    depth.set(this.depth);
    this.depth = depth;
    const type = new Uint8Array(cap);
    type.set(this.typeCode);
    this.typeCode = type;
    const oids = new Uint8Array(cap * OID_BYTES);
    oids.set(this.oids);
    this.oids = oids;
  }
}
