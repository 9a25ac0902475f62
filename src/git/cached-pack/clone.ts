/**
 * Full clones from a cached pack (see `CachedPack`), as JGit serves them. When a fetch has no
 * haves and no shallow or filter arguments, and every tip of the cached pack is among or
 * behind its wants, the answer is the cached pack as stored plus whatever the refs gained since
 * (a walk from the wants that stops at the cached tips). When the wants are exactly the tips,
 * the stored packs are sent as they are (one pack: its file byte for byte): no walk, no object
 * lookups, no re-encoding.
 */

import { batches } from '../batches';
import { IdList } from '../id-list';
import { idMembership } from '../pack/write-ids';
import { tagsToInclude } from '../protocol/include-tag';
import type { FetchRequest } from '../protocol/pack-sender';
import type { GitRepository } from '../protocol/repository';
import type { CachedPack, CachedPackStore, Oid, PackStore, Ref } from '../store';
import { walkCommits } from '../walk/commits';
import { reachableObjects, type WalkAnswer, walkAnswer } from '../walk/reachable';
import { peel, type WalkOdb } from '../walk/read';

/** Ids asked about the cached pack at once. */
export const CONTAINS_BATCH = 1000;
/** Read size: the pack is sent in slices of this many bytes. */
const SLICE = 64 * 1024;
const PACK_HEADER = 12;
const PACK_TRAILER = 20;

export interface CachedPackPlan {
  readonly cached: CachedPack;
  /**
   * Objects to send after the cached pack's (none: the stored file is the answer as it is), as
   * 20-byte ids: hex strings cost ~60 bytes an object more, ~17 MB for the 390,000 objects past
   * the first layer of the benchmark's history around a deleted branch.
   */
  readonly extra: IdList;
  /** What the extra objects may be deltas against: objects of the cached pack. */
  readonly reachable: WalkAnswer;
}

/** A plan that serves `req` from the cached pack, or null when the request needs a full walk. */
export async function cachedPackFor(
  repo: GitRepository,
  req: FetchRequest,
  refs: readonly Ref[],
): Promise<CachedPackPlan | null> {
  if (repo.cachedPack === undefined || !plainClone(req)) return null;
  const layers = await repo.cachedPack.get();
  if (layers.length === 0) return null;
  const wants = new Set(req.wants);
  const last = layers[layers.length - 1];
  if (isExactly(last, wants)) return { cached: last, extra: new IdList(), reachable: NO_WALK };
  const cached = await lastUsableLayer(repo.odb, layers, wants);
  if (cached === null) return null;
  return walkPastLayer(repo, repo.cachedPack, req, refs, cached);
}

/** A whole clone: no haves, no shallow or filter arguments (what a cached pack can answer). */
function plainClone(req: FetchRequest): boolean {
  return (
    req.haves.length === 0 &&
    req.depth === 0 &&
    req.deepenBy === undefined &&
    req.clientShallow.length === 0 &&
    req.filter === null &&
    // The stored pack may hold ofs-deltas, which a client without the capability cannot read.
    req.ofsDelta
  );
}

/**
 * Whether the answer to `req` is the newest cached pack layer's packs as stored (no walk): a
 * cheap test, made before the fetch is admitted as a light clone rather than a walk.
 */
export async function servedAsStored(repo: GitRepository, req: FetchRequest): Promise<boolean> {
  if (repo.cachedPack === undefined || !plainClone(req)) return false;
  const last = (await repo.cachedPack.get()).at(-1);
  return last !== undefined && isExactly(last, new Set(req.wants));
}

/** Whether `wants` are exactly the layer's tips: its packs as stored are the whole answer. */
export function isExactly(layer: CachedPack, wants: ReadonlySet<Oid>): boolean {
  return layer.tips.length === wants.size && layer.tips.every((t) => wants.has(t));
}

/**
 * The plan serving `req` from `cached`, a layer whose tips are among or behind the wants: its
 * packs, then what a walk from the wants down to its tips finds outside them.
 */
export async function walkPastLayer(
  repo: GitRepository,
  store: CachedPackStore,
  req: Pick<FetchRequest, 'wants' | 'includeTag'>,
  refs: readonly Ref[],
  cached: CachedPack,
): Promise<CachedPackPlan> {
  const reachable = await reachableObjects([...new Set(req.wants)], cached.tips, repo.odb);
  const packIds = cached.packs.map((p) => p.packId);
  // The walk stops at the cached tips but may still meet objects of theirs (a file restored to an
  // old version): each object goes into the pack once. Asked in batches, as the walk lists them:
  // a repository pushed in parts walks hundreds of thousands of objects here.
  const extra = new IdList();
  for (const list of [reachable.commits, reachable.objects]) {
    for (const batch of batches(list, CONTAINS_BATCH)) {
      const inCached = await store.contains(packIds, batch);
      for (const oid of batch) if (!inCached.has(oid)) extra.push(oid);
    }
  }
  if (req.includeTag) {
    // Everything cached is sent too.
    const sent = idMembership(extra);
    const inPack = async (oid: Oid): Promise<boolean> =>
      sent(oid) || (await store.contains(packIds, [oid])).size > 0;
    for (const t of await tagsToInclude(repo.odb, refs, inPack)) extra.push(t);
  }
  return { cached, extra, reachable: walkAnswer(reachable) };
}

/** Whether two lists name the same packs in the same order (a layer's, as stored). */
export function samePackIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * The last layer whose tips are all among or behind the wants. Layers are cumulative (a layer's
 * tips are reachable from the next one's), so the usable ones are a prefix: a binary search,
 * from the last layer, which is usually it.
 */
export async function lastUsableLayer(
  odb: WalkOdb,
  layers: readonly CachedPack[],
  wants: ReadonlySet<Oid>,
): Promise<CachedPack | null> {
  const last = layers.length - 1;
  if (await tipsBehindWants(odb, layers[last].tips, wants)) return layers[last];
  let found: CachedPack | null = null;
  let [lo, hi] = [0, last - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (await tipsBehindWants(odb, layers[mid].tips, wants)) {
      found = layers[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Whether every cached tip is wanted or is a commit the wants reach (a branch that moved on).
 * A tip that is not (a deleted branch, a force push) would bring objects nobody asked for.
 */
async function tipsBehindWants(
  odb: WalkOdb,
  tips: readonly Oid[],
  wants: ReadonlySet<Oid>,
): Promise<boolean> {
  const behind: Oid[] = [];
  for (const t of tips) {
    if (wants.has(t)) continue;
    const p = await peel(odb, t);
    if (p.type !== 'commit' || p.tags.length > 0) return false;
    behind.push(t);
  }
  if (behind.length === 0) return true;
  const wantCommits: Oid[] = [];
  for (const w of wants) {
    const p = await peel(odb, w);
    if (p.type === 'commit') wantCommits.push(p.oid);
  }
  return (await walkCommits(odb, behind, wantCommits)).commits.length === 0;
}

/** The stored pack file, header to trailer (a cached pack of one pack). */
export function cachedPackFile(store: PackStore, cached: CachedPack): AsyncGenerator<Uint8Array> {
  const [only] = cached.packs;
  return packBytes(store, only.packId, 0, only.size);
}

/** The cached packs' entries without their headers and trailers, to go before more entries. */
export async function* cachedPackEntries(store: PackStore, cached: CachedPack): AsyncGenerator<Uint8Array> {
  for (const p of cached.packs) yield* packBytes(store, p.packId, PACK_HEADER, p.size - PACK_TRAILER);
}

async function* packBytes(
  store: PackStore,
  packId: number,
  from: number,
  to: number,
): AsyncGenerator<Uint8Array> {
  for (let offset = from; offset < to; offset += SLICE) {
    const length = Math.min(SLICE, to - offset);
    yield await (store.readPackInOrder ?? store.readPack).call(store, packId, offset, length);
  }
}

/** What a byte-for-byte cached-pack clone reports as its walk: nothing shallow, nothing on the client. */
const NO_WALK: WalkAnswer = {
  shallow: [],
  unshallow: [],
  clientHas: () => false,
};
