/**
 * A list of object ids kept as 20-byte records in fixed chunks, in the order they were added. A
 * walking clone lists every tree and blob it sends (407,000 for the large benchmark's history):
 * as hex strings in an array that is ~64 bytes an id beside the walk's seen set; here it is 20,
 * with no string made until the list is read.
 */
import { ObjectError } from './errors';
import { hexInto, idHexAt } from './oid';
import type { Oid } from './store';

const OID_BYTES = 20;
/** Ids per chunk: 64 KiB less a little, so a chunk is one allocation that never moves. */
const CHUNK_IDS = 3276;
const EMPTY = new Uint8Array(0);

export class IdList implements Iterable<Oid> {
  private readonly chunks: Uint8Array[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Append the id at `bytes[at .. at + 20]`. */
  pushBytes(bytes: Uint8Array, at = 0): void {
    const slot = this.slotFor();
    slot.bytes.set(bytes.subarray(at, at + OID_BYTES), slot.at);
    this.count++;
  }

  push(oid: Oid): void {
    const slot = this.slotFor();
    if (!hexInto(oid, slot.bytes, slot.at)) throw new ObjectError('INVALID_OID', `invalid object id: ${oid}`);
    this.count++;
  }

  /** The id at `index`, as hex. */
  at(index: number): Oid {
    if (index < 0 || index >= this.count) throw new RangeError(`no id at ${index} of ${this.count}`);
    return idHexAt(this.chunks[Math.floor(index / CHUNK_IDS)], (index % CHUNK_IDS) * OID_BYTES);
  }

  /** Copy the id at `index` into `out[at .. at + 20]`. */
  bytesInto(index: number, out: Uint8Array, at: number): void {
    if (index < 0 || index >= this.count) throw new RangeError(`no id at ${index} of ${this.count}`);
    const from = (index % CHUNK_IDS) * OID_BYTES;
    out.set(this.chunks[Math.floor(index / CHUNK_IDS)].subarray(from, from + OID_BYTES), at);
  }

  /**
   * Visit each id in order (`bytes[at .. at + 20]`, valid during the call), letting each chunk go
   * once visited; the list is empty after. For a consumer that copies the ids elsewhere (the pack
   * writer's sorted column), so that the list and the copy are not both held whole.
   */
  drain(visit: (bytes: Uint8Array, at: number) => void): void {
    const n = this.count;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      const ids = Math.min(CHUNK_IDS, n - c * CHUNK_IDS);
      for (let k = 0; k < ids; k++) visit(chunk, k * OID_BYTES);
      this.chunks[c] = EMPTY;
    }
    this.chunks.length = 0;
    this.count = 0;
  }

  *[Symbol.iterator](): Iterator<Oid> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  private slotFor(): { bytes: Uint8Array; at: number } {
    const slot = this.count % CHUNK_IDS;
    // By the count, not the slot: a push that refused its id took no room.
    if (this.chunks.length * CHUNK_IDS === this.count)
      this.chunks.push(new Uint8Array(CHUNK_IDS * OID_BYTES));
    return { bytes: this.chunks[this.chunks.length - 1], at: slot * OID_BYTES };
  }
}
