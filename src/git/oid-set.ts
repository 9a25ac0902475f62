/**
 * A set of object ids kept as raw 20-byte keys. A push collects every id its trees point to
 * (hundreds of thousands of entries for a large history, most of them repeats); with a Set of hex
 * strings, making and hashing a string per entry cost more than reading the trees. Ids are
 * already uniformly distributed, so their leading bits are the hash. Each id carries a few mark
 * bits, so that one table can say which ids play which role (a push's objects and the ids they
 * point to are mostly the same ids: two sets of them cost twice).
 *
 * The ids sit once each in fixed chunks in the order they came (20 bytes and a mark byte an id);
 * the open-addressing table holds only their row numbers (4 bytes a slot, at least two slots an
 * id). Keys in the slots themselves cost 21 bytes a slot, ~55 bytes an id: a walking clone's seen
 * set of 411,000 ids was 21 MiB, and 32 MiB while doubling; it is 12.6 MiB this way, and growing
 * copies only the row numbers.
 */
import { ObjectError } from './errors';
import { hexInto, idHexAt } from './oid';
import type { Oid } from './store';

const OID_BYTES = 20;
const INITIAL_SLOTS = 1024;
/** Ids per chunk of the id column (640 KiB of ids). */
const CHUNK_BITS = 15;
const CHUNK_IDS = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_IDS - 1;
const EMPTY = new Uint8Array(0);

export class OidSet {
  private slots: number;
  /** 32 - log2(slots). */
  private shift: number;
  /** 1 + the row of the id in each slot; 0 is a free slot. */
  private table: Int32Array;
  /** The ids by row, `CHUNK_IDS` a chunk. */
  private idChunks: Uint8Array[] = [];
  /** The mark bits of each row (never 0 for a row in the set). */
  private markChunks: Uint8Array[] = [];
  private count = 0;

  /**
   * `expected`: how many ids will be added, when known, so the table is made once (growing holds
   * the old table of row numbers and the new one, twice as large, at the same time).
   */
  constructor(expected = 0) {
    let slots = INITIAL_SLOTS;
    while (slots < expected * 2) slots *= 2;
    this.slots = slots;
    this.shift = 32 - Math.log2(slots);
    this.table = new Int32Array(slots);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Add the id stored at `bytes[at .. at + 20]`, or add `mark` (non-zero bits) to its marks.
   * Returns the marks it had before (0 when it is new).
   */
  addBytes(bytes: Uint8Array, at = 0, mark = 1): number {
    const row = this.rowAddingBytes(bytes, at);
    const marks = this.markChunks[row >>> CHUNK_BITS];
    const before = marks[row & CHUNK_MASK];
    marks[row & CHUNK_MASK] = before | mark;
    return before;
  }

  /** The row of the id at `bytes[at .. at + 20]`, added (with no marks yet: the caller's to set) when new. */
  private rowAddingBytes(bytes: Uint8Array, at: number): number {
    if ((this.count + 1) * 2 > this.slots) this.grow();
    const slot = this.find(bytes, at);
    const r = this.table[slot];
    if (r !== 0) return r - 1;
    const row = this.count++;
    const c = row >>> CHUNK_BITS;
    if (c === this.idChunks.length) {
      this.idChunks.push(new Uint8Array(CHUNK_IDS * OID_BYTES));
      this.markChunks.push(new Uint8Array(CHUNK_IDS));
    }
    const ids = this.idChunks[c];
    const base = (row & CHUNK_MASK) * OID_BYTES;
    for (let i = 0; i < OID_BYTES; i++) ids[base + i] = bytes[at + i];
    this.table[slot] = row + 1;
    return row;
  }

  add(oid: Oid, mark = 1): number {
    return this.addBytes(this.parse(oid), 0, mark);
  }

  /**
   * The row of an id: its place in the order ids were added, for tables kept beside the set by
   * row (a walk's columns of commits). Adds it with `mark` when absent.
   */
  rowAdding(oid: Oid, mark = 1): number {
    const row = this.rowAddingBytes(this.parse(oid), 0);
    this.markRow(row, mark);
    return row;
  }

  /** The row of an id in the set, or -1. */
  rowOf(oid: Oid): number {
    return this.table[this.find(this.parse(oid), 0)] - 1;
  }

  /** The marks of a row. */
  marksOfRow(row: number): number {
    return this.markChunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** Add `mark` to a row's marks. */
  markRow(row: number, mark: number): void {
    this.markChunks[row >>> CHUNK_BITS][row & CHUNK_MASK] |= mark;
  }

  /** Take `mark` from a row's marks (keep at least one bit: a row with none reads as absent). */
  unmarkRow(row: number, mark: number): void {
    this.markChunks[row >>> CHUNK_BITS][row & CHUNK_MASK] &= ~mark;
  }

  /** The id of a row, as hex. */
  idOfRow(row: number): Oid {
    return this.idAt(row);
  }

  /** Whether the id at `bytes[at .. at + 20]` is in the set with some bit of `mark`. */
  hasBytes(bytes: Uint8Array, at = 0, mark = 0xff): boolean {
    return (this.marksAt(this.find(bytes, at)) & mark) !== 0;
  }

  /** Whether the id is in the set with some bit of `mark` (by default, with any mark). */
  has(oid: Oid, mark = 0xff): boolean {
    return (this.marksAt(this.find(this.parse(oid), 0)) & mark) !== 0;
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
      const r = this.table[slot];
      if (r === 0) continue;
      const row = r - 1;
      const ids = this.idChunks[row >>> CHUNK_BITS];
      const at = (row & CHUNK_MASK) * OID_BYTES;
      if (other.table[other.find(ids, at)] === 0) yield idHexAt(ids, at);
    }
  }

  /** The ids with some bit of `mark` and none of `without`, nearly in id order (by slot). */
  *marked(mark: number, without = 0): IterableIterator<Oid> {
    for (let slot = 0; slot < this.slots; slot++) {
      const m = this.marksAt(slot);
      if ((m & mark) !== 0 && (m & without) === 0) yield this.idAt(this.table[slot] - 1);
    }
  }

  *[Symbol.iterator](): IterableIterator<Oid> {
    yield* this.marked(0xff);
  }

  /** Each id as its 20 bytes at `at` of `bytes` (valid during the call) and its marks, in id order. */
  forEachSorted(visit: (bytes: Uint8Array, at: number, marks: number) => void): void {
    const rows = new Int32Array(this.count);
    let n = 0;
    for (let slot = 0; slot < this.slots; slot++)
      if (this.table[slot] !== 0) rows[n++] = this.table[slot] - 1;
    // Slots are in id order but for the few ids probing moved on: a nearly sorted input.
    const chunks = this.idChunks;
    rows.sort((a, b) =>
      compareIds(
        chunks[a >>> CHUNK_BITS],
        (a & CHUNK_MASK) * OID_BYTES,
        chunks[b >>> CHUNK_BITS],
        (b & CHUNK_MASK) * OID_BYTES,
      ),
    );
    for (const row of rows) {
      visit(
        chunks[row >>> CHUNK_BITS],
        (row & CHUNK_MASK) * OID_BYTES,
        this.markChunks[row >>> CHUNK_BITS][row & CHUNK_MASK],
      );
    }
  }

  /** How many ids carry some bit of `mark`. */
  countMarked(mark: number): number {
    let n = 0;
    for (let row = 0; row < this.count; row++) {
      if ((this.markChunks[row >>> CHUNK_BITS][row & CHUNK_MASK] & mark) !== 0) n++;
    }
    return n;
  }

  /**
   * Visit each id with some bit of `mark`, in the order ids were added (`bytes[at .. at + 20]`,
   * valid during the call), letting the table go first and each chunk of ids once visited; the
   * set is empty after. For a walk that hands on what it marked as a list: the list is not
   * built beside the whole set.
   */
  drainMarked(mark: number, visit: (bytes: Uint8Array, at: number) => void): void {
    const n = this.count;
    const ids = this.idChunks;
    const marks = this.markChunks;
    this.slots = INITIAL_SLOTS;
    this.shift = 32 - Math.log2(INITIAL_SLOTS);
    this.table = new Int32Array(INITIAL_SLOTS);
    this.idChunks = [];
    this.markChunks = [];
    this.count = 0;
    for (let c = 0; c < ids.length; c++) {
      const rows = Math.min(CHUNK_IDS, n - c * CHUNK_IDS);
      const chunk = ids[c];
      const chunkMarks = marks[c];
      for (let k = 0; k < rows; k++) if ((chunkMarks[k] & mark) !== 0) visit(chunk, k * OID_BYTES);
      ids[c] = EMPTY;
      marks[c] = EMPTY;
    }
  }

  /** Forget every id, keeping the table's size. */
  clear(): void {
    this.table.fill(0);
    this.idChunks = [];
    this.markChunks = [];
    this.count = 0;
  }

  private idAt(row: number): Oid {
    return idHexAt(this.idChunks[row >>> CHUNK_BITS], (row & CHUNK_MASK) * OID_BYTES);
  }

  /** The marks of the id in `slot`, 0 for a free slot. */
  private marksAt(slot: number): number {
    const r = this.table[slot];
    if (r === 0) return 0;
    const row = r - 1;
    return this.markChunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** The slot holding this id, or the free slot where it would go (linear probing). */
  private find(bytes: Uint8Array, at: number): number {
    const mask = this.slots - 1;
    // The id's leading bits pick the slot, so slots hold ids nearly in id order: listing the set
    // gives lookups in a sorted store index locality without sorting.
    let slot =
      ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> this.shift;
    for (;;) {
      const r = this.table[slot];
      if (r === 0 || this.equals(r - 1, bytes, at)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private equals(row: number, bytes: Uint8Array, at: number): boolean {
    const ids = this.idChunks[row >>> CHUNK_BITS];
    const base = (row & CHUNK_MASK) * OID_BYTES;
    for (let i = 0; i < OID_BYTES; i++) if (ids[base + i] !== bytes[at + i]) return false;
    return true;
  }

  private grow(): void {
    const old = this.table;
    this.slots *= 2;
    this.shift -= 1;
    this.table = new Int32Array(this.slots);
    const mask = this.slots - 1;
    for (let s = 0; s < old.length; s++) {
      const r = old[s];
      if (r === 0) continue;
      const row = r - 1;
      const ids = this.idChunks[row >>> CHUNK_BITS];
      const at = (row & CHUNK_MASK) * OID_BYTES;
      // Ids are distinct: the first free slot from its own is its place.
      let slot = ((ids[at] << 24) | (ids[at + 1] << 16) | (ids[at + 2] << 8) | ids[at + 3]) >>> this.shift;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = r;
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
