/**
 * The stored entries a pack is written from, as typed columns. A PackEntry object each, with
 * hex strings of its id and base, cost ~170 bytes an object: a clone writing the 411,000 objects
 * of a history pushed in parts ran its isolate out of memory on them. Here a row is 44 bytes with
 * its id as 20 bytes (row `i` is the id at `ids[20i ..]`, no string kept per object), a delta's
 * base named by its row when the pack holds it (a map keeps the few others), and entries are
 * rebuilt one at a time as they are written. Only what reading and copying a stored entry needs
 * is kept (not its depth or CRC), and a written row's stored offset gives way to where it was
 * written, which is all its deltas still ask of it.
 */
import { ObjectError } from '../errors';
import { packTypeToType, typeToPackType } from '../object-header';
import type { ObjectDatabase } from '../odb';
import { hexInto, idHexAt } from '../oid';
import { Pacer } from '../pacer';
import type { ObjectType, Oid, PackEntry, StoredEntryRef } from '../store';
import { rowOfBytes } from './write-ids';

/** `base` of a whole object. */
const WHOLE = -1;
/** `base` of a delta whose base is not one of the rows (see `outside`). */
const OUTSIDE = -2;
/** Largest zlib stream or inflated size of one entry the 32-bit columns hold. */
const MAX_ENTRY_BYTES = 0xffffffff;

export class WriteEntries {
  private readonly packId: Int32Array;
  /** The stored offset; once the row is written, -1 - the offset it was written at. */
  private readonly offset: Float64Array;
  private readonly headerLength: Uint8Array;
  private readonly span: Uint32Array;
  private readonly size: Uint32Array;
  private readonly type: Uint8Array;
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
    this.base = new Int32Array(capacity);
  }

  get length(): number {
    return this.ids.length / 20;
  }

  /** Set row `i` to the entry of its id. */
  set(i: number, e: StoredEntryRef): void {
    const span = e.end - e.dataOffset;
    if (span > MAX_ENTRY_BYTES || e.size > MAX_ENTRY_BYTES)
      throw new ObjectError('OBJECT_TOO_LARGE', `stored entry of ${e.oid} is larger than 4 GiB`);
    this.packId[i] = e.packId;
    this.offset[i] = e.offset;
    this.headerLength[i] = e.dataOffset - e.offset;
    this.span[i] = span;
    this.size[i] = e.size;
    this.type[i] = typeToPackType(e.type);
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

  /** Record that row `i` was written at `at` of the new pack; its stored place is not asked again. */
  markWritten(i: number, at: number): void {
    this.offset[i] = -1 - at;
  }

  /** Where row `i` was written in the new pack, or -1 before it is. */
  writtenAt(i: number): number {
    const o = this.offset[i];
    return o < 0 ? -1 - o : -1;
  }

  /** The entry of row `i`, not yet written. */
  entry(i: number): StoredEntryRef {
    const offset = this.offset[i];
    if (offset < 0) throw new Error(`row ${i} of the pack's table is already written`);
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
    };
  }
}

/** Ids looked up together: hex strings and found entries are held for one batch at a time. */
const LOOKUP_BATCH = 1000;

/**
 * Set every row of `table` to its stored entry. In id order, so each chunk of a sorted index is
 * read once: in walk order nearly every lookup of a big clone read a chunk again.
 */
export async function lookUpRows(table: WriteEntries, odb: Pick<ObjectDatabase, 'entries'>): Promise<void> {
  await lookUpSorted(table.ids, odb, (row, e) => table.set(row, e));
}

/**
 * The stored entry of each id of `ids` (sorted 20-byte records), handed to `found` with its row,
 * batch by batch in id order; a missing id is an error.
 */
export async function lookUpSorted(
  ids: Uint8Array,
  odb: Pick<ObjectDatabase, 'entries'>,
  found: (row: number, entry: PackEntry) => void,
): Promise<void> {
  const length = ids.length / 20;
  // A batch of 1,000 lookups is work enough for a pause of its own.
  const pacer = new Pacer(1);
  for (let first = 0; first < length; first += LOOKUP_BATCH) {
    const pause = pacer.tick();
    if (pause) await pause;
    const batch: Oid[] = [];
    for (let row = first; row < Math.min(first + LOOKUP_BATCH, length); row++)
      batch.push(idHexAt(ids, row * 20));
    const entries = await odb.entries(batch);
    for (let i = 0; i < batch.length; i++) {
      const e = entries.get(batch[i]);
      if (e === undefined) throw new ObjectError('OBJECT_NOT_FOUND', `object ${batch[i]} not found`);
      found(first + i, e);
    }
  }
}
