/** What the protocol layer needs of a repository: objects, refs, a place for new packs. */
import type { ObjectDatabase } from '../odb';
import type { CachedPackStore, PackWriter, RefStore } from '../store';

/**
 * Memory-heavy work, admitted one share at a time: a push (indexing), a fetch that walks the
 * history, a clone answered with the stored cached pack.
 */
export type HeavyWork = 'push' | 'walk' | 'clone';

export interface GitRepository {
  /** Published objects (its `store` is also the base for thin packs pushed to us). */
  readonly odb: ObjectDatabase;
  readonly refs: RefStore;
  /** A quarantined pack for a push; published by `refs.update({publishPackId})`. */
  newPack(): Promise<PackWriter>;
  /** Where a whole-history pack is remembered for clones (optional: without it, every clone walks). */
  readonly cachedPack?: CachedPackStore;
  /**
   * Waits for room for heavy work (calling `waiting` once if it has to wait) and resolves to the
   * function that gives the room back; rejects with a `GitError` 'BUSY' after waiting too long.
   * Absent: no admission control (tests of the engine alone).
   */
  readonly admit?: (work: HeavyWork, waiting?: () => void) => Promise<() => void>;
  /** Our `agent=` capability value, e.g. `gitflare/0.1`. */
  readonly agent: string;
}

export type ProtocolVersion = 0 | 1 | 2;
export type GitService = 'git-upload-pack' | 'git-receive-pack';
