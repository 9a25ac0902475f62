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
  // Without generations, as git's in_merge_bases: the ancestor is the merge base of the two exactly
  // when it is one, and that walk ends below the ancestor's date, not at the root.
  if (gens === null) return (await mergeBases(odb, ancestor, descendant)).includes(ancestor);
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
