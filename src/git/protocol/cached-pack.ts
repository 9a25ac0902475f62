/**
 * Full clones from a cached pack (see `CachedPack`): when a fetch has no haves, no shallow or
 * filter arguments and wants exactly the cached pack's tips, the answer is that pack as stored.
 * No walk, no object lookups, no re-encoding: the cost is reading the stored bytes.
 */
import type { CachedPack, PackStore } from '../store';
import type { Reachable } from '../walk/reachable';
import type { GitRepository } from './repository';
import type { FetchRequest } from './send-pack';

/** Read size: the pack is sent in slices of this many bytes. */
const SLICE = 64 * 1024;

/** The cached pack that answers `req` exactly, or null when the request needs a walk. */
export async function cachedPackFor(repo: GitRepository, req: FetchRequest): Promise<CachedPack | null> {
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
  if (wants.size !== cached.tips.length) return null;
  for (const t of cached.tips) if (!wants.has(t)) return null;
  return cached;
}

/** The stored pack file, header to trailer. */
export async function* cachedPackBytes(store: PackStore, cached: CachedPack): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < cached.size; offset += SLICE) {
    yield await store.readPack(cached.packId, offset, Math.min(SLICE, cached.size - offset));
  }
}

/** What a cached-pack clone reports as its walk: nothing shallow, nothing on the client. */
export const NO_WALK: Reachable = {
  commits: [],
  objects: [],
  shallow: [],
  unshallow: [],
  clientHas: () => false,
};
