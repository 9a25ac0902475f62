/**
 * The repository object's background work: the alarm's dispatch to compaction, push mirrors,
 * pull mirror syncs and import steps, and maintenance (compaction, the cached pack's repair, the commit
 * graph's generations, retired packs' deletion).
 */

import type { AlarmKind } from './alarms';
import { rebuildCachedPack, rebuildStepDelayMs, repairLimits } from './cached-pack-rebuild';
import { fillRefGenerations } from './commit-generations';
import { type CompactionResult, compact, dropRetiredPacks, RETIRED_GRACE_MS } from './compaction';
import { type RepoCore, WALK_CACHE_BYTES } from './repo-core';
import { runImportStep } from './repo-import';
import type { MaintenanceResult } from './repo-types';

/**
 * The alarm: runs each kind of work that is due at `now`, then sets the alarm for what remains;
 * the kinds it ran. Admins and tests run it at a time of their own (runDue).
 */
export async function runAlarm(core: RepoCore, now = Date.now()): Promise<AlarmKind[]> {
  const alarms = core.alarms();
  const due = alarms.takeDue(now);
  for (const kind of due) {
    if (kind === 'compact') await maintain(core);
    else if (kind === 'import') await runImportStep(core);
    else if (kind === 'push_mirror') await core.mirrors.syncPushMirrors({ kind: 'due', now });
    else if (kind === 'pack_copy') await core.copies.run(() => core.admission.enter('clone'));
    else await core.mirrors.fetchFromSource();
  }
  await alarms.rearm();
  return due;
}

/** The alarm's work due at `now` run at once (nothing when nothing is scheduled); the kinds run. */
export async function runDue(core: RepoCore, now: number): Promise<AlarmKind[]> {
  if (Object.keys(core.alarms().due()).length === 0) return [];
  return runAlarm(core, now);
}

/**
 * Background maintenance, the alarm's work (also run on demand by admins and tests): compact
 * small packs, repair the cached pack, delete retired packs. Deferred (to the alarm, later) while
 * a push is still being received: see InFlight.
 */
export async function maintain(core: RepoCore): Promise<MaintenanceResult> {
  const release = core.pushes.busy ? null : core.admission.tryEnter('maintain');
  if (release === null) {
    await core.scheduleCompaction();
    return { kind: 'deferred' };
  }
  try {
    return await compactNow(core);
  } finally {
    release();
  }
}

/** Compact, repair the cached pack, and schedule the deletion of retired packs. */
async function compactNow(core: RepoCore): Promise<CompactionResult> {
  const cached = core.cachedPackStore();
  const result = await compact(core.sql, core.ctx.storage, core.packs, core.objectDatabase(), cached);
  // Then the cached pack is caught up with the refs, if a clone would have to walk.
  const repo = core.repository(WALK_CACHE_BYTES);
  const repair = await rebuildCachedPack(core.ctx.storage, core.packs, repo, cached, repairLimits(core.env));
  await fillRefGenerations(repo);
  // Maintenance holds the object's memory share already: the copies run inside it.
  await core.copies.run(async () => () => undefined);
  const waiting = dropRetiredPacks(core.sql);
  if (waiting > 0) await core.alarms().set('compact', Date.now() + RETIRED_GRACE_MS);
  // A whole rebuild of the cached pack goes on in steps, from alarms soon after.
  if (repair.kind === 'partial')
    await core.alarms().set('compact', Date.now() + rebuildStepDelayMs(core.env));
  return result;
}
