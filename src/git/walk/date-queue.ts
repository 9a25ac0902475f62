/**
 * A max-heap of commits by commit time (newest first), as git's revision walk uses; or, for
 * commits pushed with a generation, by generation first (highest first) then time, as git's
 * merge-base walk orders them with a commit-graph.
 */
import type { Oid } from '../store';

export interface QueuedCommit {
  readonly oid: Oid;
  readonly time: number;
  /**
   * Its generation, for a queue ordered by generation; absent counts as above every known one
   * (git's GENERATION_NUMBER_INFINITY for a commit outside its commit-graph): a commit whose
   * generation is not known is never an ancestor of one whose generation is.
   */
  readonly generation?: number;
}

export class DateQueue {
  private readonly heap: QueuedCommit[] = [];
  /** Insertion counter, so equal times pop in insertion order (stable, like git). */
  private readonly order = new Map<Oid, number>();
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(item: QueuedCommit): void {
    this.order.set(item.oid, this.seq++);
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  pop(): QueuedCommit | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as QueuedCommit;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    this.order.delete(top.oid);
    return top;
  }

  /** Every queued commit, in no particular order. */
  items(): readonly QueuedCommit[] {
    return this.heap;
  }

  private before(a: QueuedCommit, b: QueuedCommit): boolean {
    const ga = a.generation ?? Number.POSITIVE_INFINITY;
    const gb = b.generation ?? Number.POSITIVE_INFINITY;
    if (ga !== gb) return ga > gb;
    if (a.time !== b.time) return a.time > b.time;
    return (this.order.get(a.oid) ?? 0) < (this.order.get(b.oid) ?? 0);
  }
}
