/**
 * Repair of the cached pack in the background (part of what JGit's gc does). When the refs moved
 * on in a way no layer could follow (a branch deleted unmerged, a force push, a push that sent
 * stored objects again), every full clone uses the last usable layer and walks the rest. Here that
 * walk is done once, from the alarm: what it finds is written as one new pack, the layer after the
 * usable one, with the refs as its tips (layers after the usable one are dropped). Packs outside
 * the cached pack whose objects it now all holds are retired, so that lookups, which take any
 * live copy of an object, find the cached pack's and later pushes build layers on it. Beyond the
 * window of that walk, or with no usable layer, the cached pack is rebuilt whole (whole-rebuild.ts).
 */

import { isExactly, lastUsableLayer, walkPastLayer } from '../git/cached-pack/clone';
import type { ObjectDatabase } from '../git/odb';
import { idHexAt } from '../git/oid';
import { indexPack } from '../git/pack/index-pack';
import { writePack } from '../git/pack/write-pack';
import type { GitRepository } from '../git/protocol/repository';
import type { CachedPack } from '../git/store';
import { fromReadableStream } from '../git/stream';
import { MAX_TIPS, type SqlCachedPackStore } from './cached-pack';
import { mergePacks } from './compaction';
import { forEachDistinct } from './pack-index';
import { placeholders, retirePacks, type SqlPackStore } from './pack-store';
import {
  type RebuildDeps,
  startWholeRebuild,
  stepWholeRebuild,
  type WholeRebuildResult,
  wholeRebuildRunning,
} from './whole-rebuild';

export interface RepairLimits {
  /** Objects past the usable layer repaired by one walk; beyond, the cached pack is rebuilt whole. */
  readonly window: number;
  /** Objects walked or written by one step (one alarm) of a whole rebuild. */
  readonly stepObjects: number;
}

export const REPAIR_LIMITS: RepairLimits = {
  // About half of what one alarm's 30 s of CPU (the default) was measured to repair on the large
  // benchmark history, within its memory (the README's Speed section has the figures).
  window: 50_000,
  stepObjects: 100_000,
};
/** Time from one step of a whole rebuild to the alarm of the next. */
const STEP_DELAY_MS = 1000;

declare global {
  interface Env {
    /** Objects past the usable layer a repair walks (default 50,000); beyond, a whole rebuild. */
    readonly REPAIR_WINDOW_OBJECTS?: string;
    /** Objects one step of a whole rebuild walks or writes (default 100,000). */
    readonly REBUILD_STEP_OBJECTS?: string;
    /** Delay before the alarm of a whole rebuild's next step, in ms (default 1 s). */
    readonly REBUILD_STEP_DELAY_MS?: string;
  }
}

/** The repair's limits, as configured (tests use small ones). */
export function repairLimits(env: Env): RepairLimits {
  return {
    window: Number(env.REPAIR_WINDOW_OBJECTS) || REPAIR_LIMITS.window,
    stepObjects: Number(env.REBUILD_STEP_OBJECTS) || REPAIR_LIMITS.stepObjects,
  };
}

export function rebuildStepDelayMs(env: Env): number {
  return Number(env.REBUILD_STEP_DELAY_MS) || STEP_DELAY_MS;
}

/** Caches of the indexer (a push's default: 32 MiB of delta bases, 16 MiB of small deltas). */
const INDEX_CACHES = { cacheBytes: 8 * 1024 * 1024, deltaBytes: 4 * 1024 * 1024 };

export type RebuildResult = { kind: 'current' } | { kind: 'skipped'; reason: string } | WholeRebuildResult;

export async function rebuildCachedPack(
  storage: DurableObjectStorage,
  packs: SqlPackStore,
  repo: GitRepository,
  cached: SqlCachedPackStore,
  limits: RepairLimits = REPAIR_LIMITS,
): Promise<RebuildResult> {
  const deps: RebuildDeps = { storage, packs, odb: repo.odb, cached };
  const whole = (): Promise<WholeRebuildResult> =>
    stepWholeRebuild(deps, limits.stepObjects, () => keepLeftovers(storage, packs, repo.odb, cached));
  if (wholeRebuildRunning(storage.sql)) return whole();
  const refs = await repo.refs.list();
  const tips = [...new Set(refs.map((r) => r.oid))];
  // A layer of more tips is not kept (see cached-pack.ts): rebuilding it would never end.
  if (tips.length === 0 || tips.length > MAX_TIPS) return { kind: 'skipped', reason: 'no refs to layer' };
  const rebuildWhole = (): Promise<WholeRebuildResult> => {
    startWholeRebuild(storage.sql, tips);
    return whole();
  };
  const layers = await cached.get();
  const last = layers.at(-1);
  if (last === undefined) return rebuildWhole();
  const wants = new Set(tips);
  if (isExactly(last, wants)) return { kind: 'current' };
  // Objects past the layer a clone of the refs would use are at most those of the other packs:
  // when they are too many for a walk, the cached pack is rebuilt whole instead.
  const usable = await lastUsableLayer(repo.odb, layers, wants);
  if (usable === null) return rebuildWhole();
  if (objectsOutside(storage.sql, packs.livePacks(), usable) > limits.window) return rebuildWhole();
  // What a full clone of the refs is served from now.
  const plan = await walkPastLayer(repo, cached, { wants: tips, includeTag: false }, refs, usable);
  if (plan.extra.length === 0) return { kind: 'skipped', reason: 'nothing walked' };
  if (plan.extra.length > limits.window) return rebuildWhole();
  repo.odb.dropCache();

  const writer = packs.newPack();
  try {
    // Deltas may name the usable layer's objects as bases, as the clone's would.
    const stream = writePack(plan.extra, repo.odb, { ofsDelta: true, clientHas: plan.reachable.clientHas });
    // With the walk's lists alive beside it, the indexer gets smaller caches than a push's.
    await indexPack(fromReadableStream(stream), writer, packs, { ...repo.odb.codecs, ...INDEX_CACHES });
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const base = usable.packs.map((p) => p.packId);
  try {
    storage.transactionSync(() => {
      packs.publish(writer.packId);
      cached.replaceAfter(base, writer.packId, tips);
    });
  } finally {
    packs.forgetLivePacks();
  }
  const retired = retireCovered(storage, packs, cached);
  return { kind: 'rebuilt', objects: plan.extra.length, packId: writer.packId, retired };
}

/** Objects of the live packs outside `layer`, counting an object stored twice twice. */
function objectsOutside(sql: SqlStorage, live: readonly number[], layer: CachedPack): number {
  const inLayer = new Set(layer.packs.map((p) => p.packId));
  const others = live.filter((id) => !inLayer.has(id));
  if (others.length === 0) return 0;
  return sql
    .exec<{ n: number }>(
      `SELECT SUM(object_count) AS n FROM packs WHERE id IN (${placeholders(others)})`,
      ...others,
    )
    .one().n;
}

/**
 * After a whole rebuild: the live packs outside it become one pack of the objects it lacks (a
 * deleted branch's, a push's meanwhile), and are retired. Left as they were, they would count as
 * objects past the cached pack for every later repair (see objectsOutside).
 */
async function keepLeftovers(
  storage: DurableObjectStorage,
  packs: SqlPackStore,
  odb: ObjectDatabase,
  cached: SqlCachedPackStore,
): Promise<number[]> {
  const inLayers = cached.layerPacks().flat();
  const layered = new Set(inLayers);
  const others = packs.livePacks().filter((id) => !layered.has(id));
  if (others.length === 0) return [];
  await mergePacks(
    storage,
    packs,
    odb,
    others,
    () => undefined,
    (oid) => !cached.holds(inLayers, oid),
  );
  return others;
}

/** Retire live packs outside the cached pack whose every object the cached pack holds. */
function retireCovered(
  storage: DurableObjectStorage,
  packs: SqlPackStore,
  cached: SqlCachedPackStore,
): number[] {
  const inLayers = cached.layerPacks().flat();
  const layered = new Set(inLayers);
  const covered: number[] = [];
  for (const packId of packs.livePacks()) {
    if (layered.has(packId)) continue;
    let all = true;
    forEachDistinct(packs.index, [packId], (chunk, at) => {
      if (all && !cached.holds(inLayers, idHexAt(chunk, at))) all = false;
    });
    if (all) covered.push(packId);
  }
  if (covered.length === 0) return covered;
  retirePacks(storage.sql, covered);
  packs.forgetLivePacks();
  return covered;
}
