/**
 * A merge base of two commits for comparing branches: what `git merge-base a b` prints (the
 * newest of the best common ancestors). Bounded: null for unrelated histories and for a walk
 * that would read more than `limit` commits, so a comparison across huge histories ends.
 */
import type { Oid } from '../store';
import { bestMergeBases } from '../walk/merge-base';
import type { BrowseOdb } from './objects';
import { rangeWalk } from './range-walk';

export const MERGE_BASE_WALK_LIMIT = 50_000;

export async function mergeBase(
  odb: BrowseOdb,
  a: Oid,
  b: Oid,
  limit = MERGE_BASE_WALK_LIMIT,
): Promise<Oid | null> {
  return (await bestMergeBases(odb, a, b, limit))?.[0] ?? null;
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
