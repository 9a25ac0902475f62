/**
 * A set of object ids kept as raw 20-byte keys in one open-addressing table. A push collects
 * every id its trees point to (hundreds of thousands of entries for a large history, most of
 * them repeats); with a Set of hex strings, making and hashing a string per entry cost more than
 * reading the trees. Ids are already uniformly distributed, so their leading bits are the hash.
 * Each id carries a few mark bits, so that one table can say which ids play which role (a push's
 * objects and the ids they point to are mostly the same ids: two sets of them cost twice).
 */
import { ObjectError } from './errors';
import { hexInto, idHexAt } from './oid';
import type { Oid } from './store';

const OID_BYTES = 20;
const INITIAL_SLOTS = 1024;

export class OidSet {
  private slots: number;
  /** 32 - log2(slots). */
  private shift: number;
  private keys: Uint8Array;
  /** Mark bits of each slot; 0 is a free slot. */
  private marks: Uint8Array;
  private count = 0;

  /**
   * `expected`: how many ids will be added, when known, so the table is made once: growing
   * holds the old table and the new one (twice as large) at the same time.
   */
  constructor(expected = 0) {
    let slots = INITIAL_SLOTS;
    while (slots < expected * 2) slots *= 2;
    this.slots = slots;
    this.shift = 32 - Math.log2(slots);
    this.keys = new Uint8Array(slots * OID_BYTES);
    this.marks = new Uint8Array(slots);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Add the id stored at `bytes[at .. at + 20]`, or add `mark` (non-zero bits) to its marks.
   * Returns the marks it had before (0 when it is new).
   */
  addBytes(bytes: Uint8Array, at = 0, mark = 1): number {
    if ((this.count + 1) * 2 > this.slots) this.grow();
    const slot = this.find(bytes, at);
    const before = this.marks[slot];
    this.marks[slot] = before | mark;
    if (before !== 0) return before;
    const keys = this.keys;
    const base = slot * OID_BYTES;
    for (let i = 0; i < OID_BYTES; i++) keys[base + i] = bytes[at + i];
    this.count++;
    return 0;
  }

  add(oid: Oid, mark = 1): number {
    return this.addBytes(this.parse(oid), 0, mark);
  }

  /** Whether the id at `bytes[at .. at + 20]` is in the set with some bit of `mark`. */
  hasBytes(bytes: Uint8Array, at = 0, mark = 0xff): boolean {
    return (this.marks[this.find(bytes, at)] & mark) !== 0;
  }

  /** Whether the id is in the set with some bit of `mark` (by default, with any mark). */
  has(oid: Oid, mark = 0xff): boolean {
    return (this.marks[this.find(this.parse(oid), 0)] & mark) !== 0;
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
      if (this.marks[slot] !== 0 && other.marks[other.find(this.keys, slot * OID_BYTES)] === 0) {
        yield this.idAt(slot);
      }
    }
  }

  /** The ids with some bit of `mark` and none of `without`. */
  *marked(mark: number, without = 0): IterableIterator<Oid> {
    for (let slot = 0; slot < this.slots; slot++) {
      const m = this.marks[slot];
      if ((m & mark) !== 0 && (m & without) === 0) yield this.idAt(slot);
    }
  }

  *[Symbol.iterator](): IterableIterator<Oid> {
    yield* this.marked(0xff);
  }

  /** Each id as its 20 bytes at `at` of `bytes` (valid during the call) and its marks, in id order. */
  forEachSorted(visit: (bytes: Uint8Array, at: number, marks: number) => void): void {
    const used = new Uint32Array(this.count);
    let n = 0;
    for (let slot = 0; slot < this.slots; slot++) if (this.marks[slot] !== 0) used[n++] = slot;
    // Slots are in id order but for the few ids probing moved on: a nearly sorted input.
    const keys = this.keys;
    used.sort((a, b) => compareIds(keys, a * OID_BYTES, keys, b * OID_BYTES));
    for (const slot of used) visit(keys, slot * OID_BYTES, this.marks[slot]);
  }

  /** How many ids carry some bit of `mark`. */
  countMarked(mark: number): number {
    let n = 0;
    for (let slot = 0; slot < this.slots; slot++) if ((this.marks[slot] & mark) !== 0) n++;
    return n;
  }

  /** Forget every id, keeping the table's size. */
  clear(): void {
    this.marks.fill(0);
    this.count = 0;
  }

  private idAt(slot: number): Oid {
    return idHexAt(this.keys, slot * OID_BYTES);
  }

  /** The slot holding this id, or the free slot where it would go (linear probing). */
  private find(bytes: Uint8Array, at: number): number {
    const mask = this.slots - 1;
    // The id's leading bits pick the slot, so slots hold ids nearly in id order: listing the set
    // gives lookups in a sorted store index locality without sorting.
    let slot =
      ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> this.shift;
    for (;;) {
      if (this.marks[slot] === 0 || this.equals(slot, bytes, at)) return slot;
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
    const oldMarks = this.marks;
    const oldSlots = this.slots;
    this.slots *= 2;
    this.shift -= 1;
    this.keys = new Uint8Array(this.slots * OID_BYTES);
    this.marks = new Uint8Array(this.slots);
    for (let slot = 0; slot < oldSlots; slot++) {
      if (oldMarks[slot] === 0) continue;
      const free = this.find(oldKeys, slot * OID_BYTES);
      this.marks[free] = oldMarks[slot];
      this.keys.set(oldKeys.subarray(slot * OID_BYTES, (slot + 1) * OID_BYTES), free * OID_BYTES);
    }
  }
}

/** Order of the ids at `a[ai ..]` and `b[bi ..]`, as their bytes compare. */
export function compareIds(a: Uint8Array, ai: number, b: Uint8Array, bi: number): number {
  for (let i = 0; i < OID_BYTES; i++) {
    const d = a[ai + i] - b[bi + i];
    if (d !== 0) return d;
  }
  return 0;
}
