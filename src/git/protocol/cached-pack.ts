/**
 * Full clones from a cached pack (see `CachedPack`), as JGit serves them. When a fetch has no
 * haves and no shallow or filter arguments, and every tip of the cached pack is among or
 * behind its wants, the answer is the cached pack as stored plus whatever the refs gained since
 * (a walk from the wants that stops at the cached tips). When the wants are exactly the tips,
 * the stored pack file is sent byte for byte: no walk, no object lookups, no re-encoding.
 */
import { batches } from '../batches';
import type { CachedPack, Oid, PackStore, Ref } from '../store';
import { walkCommits } from '../walk/commits';
import { type Reachable, reachableObjects } from '../walk/reachable';
import { peel, type WalkOdb } from '../walk/read';
import { tagsToInclude } from './include-tag';
import type { GitRepository } from './repository';
import type { FetchRequest } from './send-pack';

/** Ids asked about the cached pack at once. */
const CONTAINS_BATCH = 1000;
/** Read size: the pack is sent in slices of this many bytes. */
const SLICE = 64 * 1024;
const PACK_HEADER = 12;
const PACK_TRAILER = 20;

export interface CachedPackPlan {
  readonly cached: CachedPack;
  /** Objects to send after the cached pack's (none: the stored file is the answer as it is). */
  readonly extra: Oid[];
  /** What the extra objects may be deltas against: objects of the cached pack. */
  readonly reachable: Reachable;
}

/** A plan that serves `req` from the cached pack, or null when the request needs a full walk. */
export async function cachedPackFor(
  repo: GitRepository,
  req: FetchRequest,
  refs: readonly Ref[],
): Promise<CachedPackPlan | null> {
  if (repo.cachedPack === undefined) return null;
  const plain =
    req.haves.length === 0 &&
    req.depth === 0 &&
    req.deepenBy === undefined &&
    req.clientShallow.length === 0 &&
    req.filter === null &&
    // The stored pack may hold ofs-deltas, which a client without the capability cannot read.
    req.ofsDelta;
  if (!plain) return null;
  const cached = await repo.cachedPack.get();
  if (cached === null) return null;
  const wants = new Set(req.wants);
  if (cached.tips.length === wants.size && cached.tips.every((t) => wants.has(t))) {
    return { cached, extra: [], reachable: NO_WALK };
  }
  if (!(await tipsBehindWants(repo.odb, cached.tips, wants))) return null;
  const reachable = await reachableObjects([...wants], cached.tips, repo.odb);
  const store = repo.cachedPack;
  // The walk stops at the cached tips but may still meet objects of theirs (a file restored to an
  // old version): each object goes into the pack once. Asked in batches, as the walk lists them:
  // a repository pushed in parts walks hundreds of thousands of objects here.
  const extra: Oid[] = [];
  for (const list of [reachable.commits, reachable.objects]) {
    for (const batch of batches(list, CONTAINS_BATCH)) {
      const inCached = await store.contains(cached.packId, batch);
      for (const oid of batch) if (!inCached.has(oid)) extra.push(oid);
    }
  }
  if (req.includeTag) {
    // Everything cached is sent too.
    const sent = new Set(extra);
    const inPack = async (oid: Oid): Promise<boolean> =>
      sent.has(oid) || (await store.contains(cached.packId, [oid])).size > 0;
    extra.push(...(await tagsToInclude(repo.odb, refs, inPack)));
  }
  return { cached, extra, reachable };
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

/** The stored pack file, header to trailer. */
export function cachedPackFile(store: PackStore, cached: CachedPack): AsyncGenerator<Uint8Array> {
  return packBytes(store, cached.packId, 0, cached.size);
}

/** The cached pack's entries without its header and trailer, to go before more entries. */
export function cachedPackEntries(store: PackStore, cached: CachedPack): AsyncGenerator<Uint8Array> {
  return packBytes(store, cached.packId, PACK_HEADER, cached.size - PACK_TRAILER);
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
const NO_WALK: Reachable = {
  commits: [],
  objects: [],
  shallow: [],
  unshallow: [],
  clientHas: () => false,
};
