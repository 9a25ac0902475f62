/** What the protocol layer needs of a repository: objects, refs, a place for new packs. */
import type { ObjectDatabase } from '../odb';
import type { CachedPackStore, PackWriter, RefStore } from '../store';

export interface GitRepository {
  /** Published objects (its `store` is also the base for thin packs pushed to us). */
  readonly odb: ObjectDatabase;
  readonly refs: RefStore;
  /** A quarantined pack for a push; published by `refs.update({publishPackId})`. */
  newPack(): Promise<PackWriter>;
  /** Where a whole-history pack is remembered for clones (optional: without it, every clone walks). */
  readonly cachedPack?: CachedPackStore;
  /** Our `agent=` capability value, e.g. `gitflare/0.1`. */
  readonly agent: string;
}

export type ProtocolVersion = 0 | 1 | 2;
export type GitService = 'git-upload-pack' | 'git-receive-pack';
