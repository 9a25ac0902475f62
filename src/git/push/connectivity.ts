/**
 * Connectivity of a push: after it, every new ref tip and everything it reaches must exist. First
 * from the links collected while indexing (no walk); when that cannot decide, by a walk.
 */
import { isGitError } from '../errors';
import type { ObjectDatabase } from '../odb';
import { Pacer } from '../pacer';
import type { ProgressSink } from '../protocol/progress';
import type { GitRepository } from '../protocol/repository';
import type { Oid, PackStore, RefCommand } from '../store';
import { reachableObjects } from '../walk/reachable';
import { type PushLinks, TIPS_STEP } from './links';

/**
 * Connectivity from the links collected while indexing: every object the pack points to exists
 * and every new tip exists. False when it cannot tell (unreadable objects or dangling links), so
 * that the walk can say which ref is at fault.
 */
export async function quickConnectivity(
  links: PushLinks | undefined,
  store: PackStore,
  updates: readonly RefCommand[],
  progress: ProgressSink,
): Promise<boolean> {
  if (updates.length === 0) return true;
  // No pack at all (e.g. a new branch at a stored commit): the tips alone must exist.
  if (links !== undefined) {
    if (!links.complete) return false;
    if ((await links.outside(store)).missing.length > 0) return false;
  }
  // A tip's check reads a chunk of the id set once it spilled (971 tags: 200 ms in one piece).
  const pacer = new Pacer(TIPS_STEP);
  for (const c of updates) {
    const pause = pacer.tick();
    if (pause) await pause;
    if (!links?.isPacked(c.newOid) && (await store.lookup(c.newOid)) === null) return false;
  }
  progress.info(`Checking connectivity: ${updates.length}, done.`);
  return true;
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
