/**
 * Connectivity of a push: after it, every new ref tip and everything it reaches must exist. First
 * from the links collected while indexing (no walk); when that cannot decide, by a walk.
 */
import { isGitError } from '../errors';
import type { ObjectDatabase } from '../odb';
import type { Oid, RefCommand } from '../store';
import { reachableObjects } from '../walk/reachable';
import type { ProgressSink } from './progress';
import type { PushLinks } from './push-links';
import type { GitRepository } from './repository';

/**
 * Connectivity from the links collected while indexing: every object the pack points to exists
 * and every new tip exists. Returns the stored packs holding those outside the pack, or null when
 * it cannot decide (unreadable objects or dangling links), so that the walk can say which ref is
 * at fault.
 */
export async function quickConnectivity(
  links: PushLinks | undefined,
  repo: GitRepository,
  updates: readonly RefCommand[],
  progress: ProgressSink,
): Promise<Set<number> | null> {
  const packs = new Set<number>();
  if (updates.length === 0) return packs;
  // No pack at all (e.g. a new branch at a stored commit): the tips alone must exist.
  if (links !== undefined) {
    if (!links.complete) return null;
    const outside = await links.outside(repo.odb.store);
    if (outside.missing.length > 0) return null;
    for (const p of outside.packs) packs.add(p);
  }
  for (const c of updates) {
    if (links?.isPacked(c.newOid)) continue;
    const entry = await repo.odb.store.lookup(c.newOid);
    if (entry === null) return null;
    packs.add(entry.packId);
  }
  progress.info(`Checking connectivity: ${updates.length}, done.`);
  return packs;
}

/**
 * `git rev-list --objects new-tips --not existing-tips` must find every object. One walk for
 * all updates; only when it fails is each update checked alone, to name the culprits.
 */
export async function checkConnectivity(
  odb: ObjectDatabase,
  repo: GitRepository,
  updates: readonly RefCommand[],
  progress: ProgressSink,
): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  if (updates.length === 0) return failures;
  const existing: Oid[] = [];
  for (const r of await repo.refs.list()) existing.push(r.oid);
  const connected = async (tips: Oid[]): Promise<boolean> => {
    try {
      await reachableObjects(tips, existing, odb, { verify: true });
      return true;
    } catch (e) {
      if (!isGitError(e)) throw e;
      return false;
    }
  };
  const ok = await connected(updates.map((u) => u.newOid));
  progress.info(`Checking connectivity: ${updates.length}, done.`);
  if (ok) return failures;
  for (const u of updates) {
    if (!(await connected([u.newOid]))) failures.set(u.name, 'missing necessary objects');
  }
  return failures;
}
