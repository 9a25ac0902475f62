/**
 * A set of object ids kept as raw 20-byte keys in one open-addressing table. A push collects
 * every id its trees point to (hundreds of thousands of entries for a large history, most of
 * them repeats); with a Set of hex strings, making and hashing a string per entry cost more than
 * reading the trees. Ids are already uniformly distributed, so their first bytes are the hash.
 */
import { ObjectError } from './errors';
import { bytesToHex, hexInto } from './oid';
import type { Oid } from './store';

const OID_BYTES = 20;
const INITIAL_SLOTS = 1024;

export class OidSet {
  private slots: number;
  private keys: Uint8Array;
  private used: Uint8Array;
  private count = 0;

  /**
   * `expected`: how many ids will be added, when known, so the table is made once: growing
   * holds the old table and the new one (twice as large) at the same time.
   */
  constructor(expected = 0) {
    let slots = INITIAL_SLOTS;
    while (slots < expected * 2) slots *= 2;
    this.slots = slots;
    this.keys = new Uint8Array(slots * OID_BYTES);
    this.used = new Uint8Array(slots);
  }

  get size(): number {
    return this.count;
  }

  /** Add the id stored at `bytes[at .. at + 20]`. */
  addBytes(bytes: Uint8Array, at = 0): void {
    if ((this.count + 1) * 2 > this.slots) this.grow();
    const slot = this.find(bytes, at);
    if (this.used[slot] === 1) return;
    this.used[slot] = 1;
    const keys = this.keys;
    const base = slot * OID_BYTES;
    for (let i = 0; i < OID_BYTES; i++) keys[base + i] = bytes[at + i];
    this.count++;
  }

  add(oid: Oid): void {
    this.addBytes(this.parse(oid));
  }

  has(oid: Oid): boolean {
    return this.used[this.find(this.parse(oid), 0)] === 1;
  }

  /** Reused for parsing ids: a push adds hundreds of thousands. */
  private readonly scratch = new Uint8Array(OID_BYTES);

  private parse(oid: Oid): Uint8Array {
    if (!hexInto(oid, this.scratch, 0)) throw new ObjectError('INVALID_OID', `invalid object id: ${oid}`);
    return this.scratch;
  }

  /** The ids of this set missing from `other`, compared as bytes (only the misses become strings). */
  *notIn(other: OidSet): IterableIterator<Oid> {
    for (let slot = 0; slot < this.slots; slot++) {
      if (this.used[slot] === 1 && other.used[other.find(this.keys, slot * OID_BYTES)] === 0) {
        yield bytesToHex(this.keys.subarray(slot * OID_BYTES, (slot + 1) * OID_BYTES));
      }
    }
  }

  *[Symbol.iterator](): IterableIterator<Oid> {
    for (let slot = 0; slot < this.slots; slot++) {
      if (this.used[slot] === 1) {
        yield bytesToHex(this.keys.subarray(slot * OID_BYTES, (slot + 1) * OID_BYTES));
      }
    }
  }

  /** The slot holding this id, or the free slot where it would go (linear probing). */
  private find(bytes: Uint8Array, at: number): number {
    const mask = this.slots - 1;
    let slot = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) & mask;
    for (;;) {
      if (this.used[slot] === 0 || this.equals(slot, bytes, at)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private equals(slot: number, bytes: Uint8Array, at: number): boolean {
    const base = slot * OID_BYTES;
    for (let i = 0; i < OID_BYTES; i++) if (this.keys[base + i] !== bytes[at + i]) return false;
    return true;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldUsed = this.used;
    const oldSlots = this.slots;
    this.slots *= 2;
    this.keys = new Uint8Array(this.slots * OID_BYTES);
    this.used = new Uint8Array(this.slots);
    for (let slot = 0; slot < oldSlots; slot++) {
      if (oldUsed[slot] === 0) continue;
      const free = this.find(oldKeys, slot * OID_BYTES);
      this.used[free] = 1;
      this.keys.set(oldKeys.subarray(slot * OID_BYTES, (slot + 1) * OID_BYTES), free * OID_BYTES);
    }
  }
}
