/**
 * The stored entries a pack is written from, as typed columns. A PackEntry object each, with
 * hex strings of its id and base, cost ~170 bytes an object: a clone writing the 411,000 objects
 * of a history pushed in parts ran its isolate out of memory on them. Here a row is ~70 bytes
 * with its id as 20 bytes (row `i` is the id at `ids[20i ..]`, no string kept per object), and
 * entries are rebuilt one at a time as they are written.
 */
import { ObjectError } from '../errors';
import { packTypeToType, typeToPackType } from '../object-header';
import { hexInto, idHexAt } from '../oid';
import type { ObjectType, PackEntry } from '../store';

export class WriteEntries {
  private packId: Int32Array;
  private offset: Float64Array;
  private headerLength: Uint8Array;
  private span: Float64Array;
  private size: Float64Array;
  private type: Uint8Array;
  /** 1 for a whole object, 0 for a delta against the id in `base`. */
  private whole: Uint8Array;
  private depth: Uint32Array;
  private crc32: Uint32Array;
  private base: Uint8Array;

  /** `ids`: the objects as 20-byte records, each once; their entries are set by `set`. */
  constructor(readonly ids: Uint8Array) {
    const capacity = ids.length / 20;
    this.packId = new Int32Array(capacity);
    this.offset = new Float64Array(capacity);
    this.headerLength = new Uint8Array(capacity);
    this.span = new Float64Array(capacity);
    this.size = new Float64Array(capacity);
    this.type = new Uint8Array(capacity);
    this.whole = new Uint8Array(capacity);
    this.depth = new Uint32Array(capacity);
    this.crc32 = new Uint32Array(capacity);
    this.base = new Uint8Array(capacity * 20);
  }

  get length(): number {
    return this.ids.length / 20;
  }

  /** Set row `i` to the entry of its id. */
  set(i: number, e: PackEntry): void {
    this.packId[i] = e.packId;
    this.offset[i] = e.offset;
    this.headerLength[i] = e.dataOffset - e.offset;
    this.span[i] = e.end - e.dataOffset;
    this.size[i] = e.size;
    this.type[i] = typeToPackType(e.type);
    this.depth[i] = e.depth;
    this.crc32[i] = e.crc32;
    if (e.baseOid === null) this.whole[i] = 1;
    else if (!hexInto(e.baseOid, this.base, i * 20))
      throw new ObjectError('INVALID_OID', `bad delta base of ${e.oid}: ${e.baseOid}`);
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
    return {
      oid: idHexAt(this.ids, i * 20),
      packId: this.packId[i],
      offset,
      dataOffset,
      end: dataOffset + this.span[i],
      type: packTypeToType(this.type[i]) as ObjectType,
      size: this.size[i],
      baseOid: this.whole[i] === 1 ? null : idHexAt(this.base, i * 20),
      depth: this.depth[i],
      crc32: this.crc32[i],
    };
  }
}
