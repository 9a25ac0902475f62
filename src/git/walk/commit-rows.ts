/**
 * The commits a walk has met, by row: each id once in an `OidSet` (with the walk's flags as its
 * marks), and beside it typed columns of each parsed commit's tree, generation and parents (as
 * rows). A walk of every commit of a history kept Maps keyed by hex strings: ~460 bytes a commit
 * (40,000 commits were 18 MiB at the walk's peak); here it is under 80.
 */
import { grown } from '../grown';
import { hexInto, idHexAt } from '../oid';
import { OidSet } from '../oid-set';
import type { Oid } from '../store';

const OID_BYTES = 20;
const INITIAL_ROWS = 256;
/** The mark every row carries: a row whose marks are all clear reads as absent from the set. */
export const KNOWN = 1;
const NO_PARENTS = new Int32Array(0);

export class CommitRows {
  private readonly ids = new OidSet();
  private capacity = INITIAL_ROWS;
  /** Each parsed row's tree id, 20 bytes a row. */
  private trees = new Uint8Array(INITIAL_ROWS * OID_BYTES);
  /** Each parsed row's generation; 0 when not known. */
  private generations = new Int32Array(INITIAL_ROWS);
  /** Where each parsed row's parents start in `parentRows`, and how many. */
  private parentStart = new Int32Array(INITIAL_ROWS);
  private parentCount = new Int32Array(INITIAL_ROWS);
  private parentRows = new Int32Array(INITIAL_ROWS);
  private parentsUsed = 0;

  /** The row of a commit, added (with `KNOWN`) when new. */
  row(oid: Oid): number {
    const row = this.ids.rowAdding(oid, KNOWN);
    if (row >= this.capacity) this.grow(row + 1);
    return row;
  }

  /** The row of a commit met so far, or -1. */
  rowOf(oid: Oid): number {
    return this.ids.rowOf(oid);
  }

  oidOf(row: number): Oid {
    return this.ids.idOfRow(row);
  }

  marks(row: number): number {
    return this.ids.marksOfRow(row);
  }

  mark(row: number, mark: number): void {
    this.ids.markRow(row, mark);
  }

  unmark(row: number, mark: number): void {
    this.ids.unmarkRow(row, mark & ~KNOWN);
  }

  /** Record a parsed commit's links (its parents become rows too). */
  setLinks(row: number, tree: Oid, parents: readonly Oid[], generation: number | undefined): void {
    hexInto(tree, this.trees, row * OID_BYTES);
    this.generations[row] = generation ?? 0;
    const parentRows = parents.map((p) => this.row(p));
    const used = this.parentsUsed + parentRows.length;
    if (used > this.parentRows.length)
      this.parentRows = grown(this.parentRows, new Int32Array(Math.max(this.parentRows.length * 2, used)));
    this.parentStart[row] = this.parentsUsed;
    this.parentCount[row] = parentRows.length;
    this.parentRows.set(parentRows, this.parentsUsed);
    this.parentsUsed += parentRows.length;
  }

  /** A parsed row's parents, as rows (a view: read it before the next `setLinks`). */
  parentsOf(row: number): Int32Array {
    const n = this.parentCount[row];
    if (n === 0) return NO_PARENTS;
    const start = this.parentStart[row];
    return this.parentRows.subarray(start, start + n);
  }

  treeOf(row: number): Oid {
    return idHexAt(this.trees, row * OID_BYTES);
  }

  generationOf(row: number): number | undefined {
    const g = this.generations[row];
    return g === 0 ? undefined : g;
  }

  private grow(rows: number): void {
    let capacity = this.capacity;
    while (capacity < rows) capacity *= 2;
    this.trees = grown(this.trees, new Uint8Array(capacity * OID_BYTES));
    this.generations = grown(this.generations, new Int32Array(capacity));
    this.parentStart = grown(this.parentStart, new Int32Array(capacity));
    this.parentCount = grown(this.parentCount, new Int32Array(capacity));
    this.capacity = capacity;
  }
}

/** Rows in the order added, growing by doubling. */
export class RowList {
  private rows = new Int32Array(INITIAL_ROWS);
  length = 0;

  push(row: number): void {
    if (this.length === this.rows.length) this.rows = grown(this.rows, new Int32Array(this.rows.length * 2));
    this.rows[this.length++] = row;
  }

  at(index: number): number {
    return this.rows[index];
  }
}
