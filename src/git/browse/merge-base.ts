/**
 * A merge base of two commits for comparing branches: the newest commit of `b`'s history that
 * is also an ancestor of `a`. Bounded, so a comparison across unrelated or huge histories ends.
 */
import type { Oid } from '../store';
import type { BrowseOdb } from './objects';
import { rangeWalk } from './range-walk';
import { ancestors, walkByDate } from './walk-order';

export const MERGE_BASE_WALK_LIMIT = 50_000;

export async function mergeBase(
  odb: BrowseOdb,
  a: Oid,
  b: Oid,
  limit = MERGE_BASE_WALK_LIMIT,
): Promise<Oid | null> {
  if (a === b) return a;
  const fromA = await ancestors(odb, [a], limit);
  let found: Oid | null = null;
  await walkByDate(odb, [b], limit, (oid) => {
    if (fromA.has(oid)) {
      found = oid;
      return true;
    }
    return false;
  });
  return found;
}

/** Commits of `head` not reachable from `base` (newest first, at most `max`), as `git log base..head`. */
export function commitsBetween(
  odb: BrowseOdb,
  base: Oid | null,
  head: Oid,
  max: number,
): Promise<{ oids: Oid[]; more: boolean }> {
  return rangeWalk(odb, base, head, max, MERGE_BASE_WALK_LIMIT);
}
