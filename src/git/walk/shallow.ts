/**
 * Shallow fetches (`deepen N`): which commits become the client's new shallow boundary, which of
 * its old boundaries are lifted, and which commits the walk must treat as parentless.
 */
import type { Oid } from '../store';
import { readCommitLinks, type WalkOdb } from './read';

export interface ShallowPlan {
  /** New boundary commits to announce with `shallow <oid>`. */
  readonly shallow: Oid[];
  /** Old client boundaries now inside the requested depth (`unshallow <oid>`). */
  readonly unshallow: Oid[];
  /** Commits the object walk treats as having no parents. */
  readonly grafts: Set<Oid>;
  /** Parents of unshallowed commits, to be sent as if wanted. */
  readonly extraWants: Oid[];
}

/**
 * Breadth-first from the wants: a want is at depth 1; commits at depth `depth` that have
 * parents are the boundary. Client boundaries found above that depth are unshallowed.
 */
export async function planShallow(
  odb: WalkOdb,
  wants: readonly Oid[],
  depth: number,
  clientShallow: ReadonlySet<Oid>,
): Promise<ShallowPlan> {
  const dist = new Map<Oid, number>();
  const boundary: Oid[] = [];
  const unshallow: Oid[] = [];
  const extraWants: Oid[] = [];
  let level: Oid[] = [];
  for (const w of wants) {
    if (!dist.has(w)) {
      dist.set(w, 1);
      level.push(w);
    }
  }
  for (let d = 1; level.length > 0; d++) {
    const next: Oid[] = [];
    for (const oid of level) {
      const { parents } = await readCommitLinks(odb, oid);
      if (d >= depth) {
        if (parents.length > 0) boundary.push(oid);
        continue;
      }
      if (clientShallow.has(oid)) {
        unshallow.push(oid);
        extraWants.push(...parents);
      }
      for (const p of parents) {
        if (!dist.has(p)) {
          dist.set(p, d + 1);
          next.push(p);
        }
      }
    }
    level = next;
  }
  const unshallowSet = new Set(unshallow);
  const grafts = new Set<Oid>(boundary);
  for (const c of clientShallow) if (!unshallowSet.has(c)) grafts.add(c);
  // Unshallowed commits stay parentless on the client side of the walk: their parents come
  // in through extraWants instead, so the client's copy does not make them uninteresting.
  for (const c of unshallow) grafts.add(c);
  return {
    shallow: boundary.filter((c) => !clientShallow.has(c)),
    unshallow,
    grafts,
    extraWants,
  };
}
