/**
 * A push's pack as the next layer of the cached pack (see `CachedPackStore`). A repository grows
 * push by push; if each push that brings exactly what its new tips add becomes a layer, a clone
 * of the whole history streams the stored packs one after another instead of walking everything
 * pushed after the first push (on the 300 MiB benchmark repository pushed in two parts, the walk
 * was most of a 28 s clone).
 *
 * With S the last layer's packs (exactly the objects reachable from its tips T) and N the pushed
 * pack with new tips P, S + N is exactly the objects reachable from T and P when:
 * - every object of N is reachable from P: each object nothing in N points to is in P;
 * - everything N points to outside itself, its delta bases outside itself and the tips it does not
 *   hold are in S (S is closed under links, so all that is reachable from them is in S too);
 * - N holds no object of S, and no object twice (a client refuses an object sent twice).
 * A tip of T that an object of N points to is reachable from P and leaves the tips.
 * With no layer yet, N alone must hold everything reachable from P (the first push of a history).
 */
import { asyncBatches } from '../batches';
import { Pacer } from '../pacer';
import { type PushLinks, TIPS_STEP } from '../push/links';
import type { CachedPackStore, Oid, PackStore } from '../store';
import { CONTAINS_BATCH } from './clone';

/** A pack just indexed (a push's or a merge's), with what a layer is judged by. */
export interface IndexedPack {
  readonly packId: number;
  readonly links: PushLinks;
  /** Objects of the pack that were already stored. */
  readonly twins: number;
  /** Whether the pack holds each of its objects once. */
  readonly distinct: boolean;
  readonly externalBases: readonly Oid[];
}

export interface PushedPack extends IndexedPack {
  /** Stored packs holding what the pack points to outside itself and the new tips it does not hold. */
  readonly outsidePacks: ReadonlySet<number>;
}

/**
 * The stored packs holding what `pack` points to outside itself and the `tips` it does not hold;
 * null when some of those are not found (or its links could not all be read): then it is no layer.
 */
export async function packsOutside(
  pack: IndexedPack,
  store: PackStore,
  tips: readonly Oid[],
): Promise<Set<number> | null> {
  if (!pack.links.complete) return null;
  const outside = await pack.links.outside(store);
  if (outside.missing.length > 0) return null;
  const packs = new Set(outside.packs);
  const pacer = new Pacer(TIPS_STEP);
  for (const tip of tips) {
    const pause = pacer.tick();
    if (pause) await pause;
    if (pack.links.isPacked(tip)) continue;
    const entry = await store.lookup(tip);
    if (entry === null) return null;
    packs.add(entry.packId);
  }
  return packs;
}

/** Record `pushed` as the cached pack's next layer when it is one (see above); `tips` are the refs it set. */
export async function extendCachedPack(
  cached: CachedPackStore,
  store: PackStore,
  pushed: PushedPack,
  tips: readonly Oid[],
): Promise<void> {
  if (!pushed.distinct || tips.length === 0) return;
  const tipSet = new Set(tips);
  if (!(await pushed.links.rootsAmong(tipSet))) return;
  const last = (await cached.get()).at(-1);
  const baseIds = last?.packs.map((p) => p.packId) ?? [];
  const base = new Set(baseIds);
  // Twins of a first layer are no matter: it is the only pack sent.
  if (last !== undefined && pushed.twins > 0) return;
  const outside = new Set(pushed.outsidePacks);
  const bases = await store.lookupMany(pushed.externalBases);
  if (bases.size !== pushed.externalBases.length) return;
  for (const e of bases.values()) outside.add(e.packId);
  const elsewhere = [...outside].some((p) => !base.has(p));
  if (elsewhere && !(await allIn(cached, baseIds, outsideOf(pushed, tipSet)))) return;
  const kept = (last?.tips ?? []).filter((t) => !tipSet.has(t) && !pushed.links.isLinked(t));
  await cached.extend(baseIds, pushed.packId, [...kept, ...tipSet]);
}

/** Ids the pack needs from outside itself: what it points to, its outside delta bases, tips it does not hold. */
async function* outsideOf(pushed: PushedPack, tips: ReadonlySet<Oid>): AsyncGenerator<Oid> {
  yield* pushed.links.outsideIds();
  yield* pushed.externalBases;
  for (const t of tips) if (!pushed.links.isPacked(t)) yield t;
}

/**
 * Whether the packs `packIds` hold every one of `oids`. Asked when a lookup found one of them in
 * another pack: lookups take any live copy, and an object may have one outside the cached pack too
 * (a pack that was no layer, which a repair of the cached pack then copied from).
 */
async function allIn(
  cached: CachedPackStore,
  packIds: readonly number[],
  oids: AsyncIterable<Oid>,
): Promise<boolean> {
  if (packIds.length === 0) return false;
  for await (const batch of asyncBatches(oids, CONTAINS_BATCH)) {
    if ((await cached.contains(packIds, batch)).size !== batch.length) return false;
  }
  return true;
}
