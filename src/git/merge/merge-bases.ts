/**
 * The best common ancestors of two commits (what `git merge-base --all` prints): common
 * ancestors that are not ancestors of another common ancestor. Walks are bounded so that huge
 * or unrelated histories end with an error instead of exhausting the Durable Object.
 */

import type { Oid } from '../store';
import { filledGenerations } from '../walk/generation';
import { bestMergeBases } from '../walk/merge-base';
import { readCommitLinks } from '../walk/read';
import { MergeError } from './errors';
import type { MergeOdb } from './objects';

export const MERGE_WALK_LIMIT = 100_000;

/** Every commit reachable from `tips` (the tips included), stopping at commits in `stop`. */
export async function reachable(
  odb: MergeOdb,
  tips: readonly Oid[],
  stop: ReadonlySet<Oid> = new Set(),
  limit = MERGE_WALK_LIMIT,
): Promise<Set<Oid>> {
  const seen = new Set<Oid>();
  const todo = tips.filter((t) => !stop.has(t));
  while (todo.length > 0) {
    const oid = todo.pop() as Oid;
    if (seen.has(oid)) continue;
    seen.add(oid);
    if (seen.size > limit) throw new MergeError('MERGE_HISTORY_TOO_LONG', `history beyond ${limit} commits`);
    for (const p of (await readCommitLinks(odb, oid)).parents) if (!seen.has(p) && !stop.has(p)) todo.push(p);
  }
  return seen;
}

/**
 * In git's order (newest first: the first is what `git merge-base` prints), reading the commits
 * above the bases rather than either whole history (see walk/merge-base.ts).
 */
export async function mergeBases(odb: MergeOdb, a: Oid, b: Oid): Promise<Oid[]> {
  const bases = await bestMergeBases(odb, a, b, MERGE_WALK_LIMIT);
  if (bases === null)
    throw new MergeError('MERGE_HISTORY_TOO_LONG', `history beyond ${MERGE_WALK_LIMIT} commits`);
  return bases;
}

/** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(odb: MergeOdb, ancestor: Oid, descendant: Oid): Promise<boolean> {
  if (ancestor === descendant) return true;
  const gens = await filledGenerations(odb, [ancestor, descendant], MERGE_WALK_LIMIT);
  if (gens === null) return (await reachable(odb, [descendant])).has(ancestor);
  // Only commits of a higher generation than the ancestor's can lead to it: the walk reads the
  // commits between the two, not the descendant's whole history.
  const floor = gens.get(ancestor) as number;
  const seen = new Set<Oid>();
  const todo = [descendant];
  for (let oid = todo.pop(); oid !== undefined; oid = todo.pop()) {
    for (const p of (await readCommitLinks(odb, oid)).parents) {
      if (p === ancestor) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      if (((await readCommitLinks(odb, p)).generation ?? 0) > floor) todo.push(p);
    }
  }
  return false;
}
