/** A whole repository in memory (packs, objects, refs), for tests and the Node test server. */
import { ObjectDatabase } from '../odb';
import type { GitRepository } from '../protocol/repository';
import type { CachedPackStore, PackWriter } from '../store';
import { MemoryCachedPackStore } from './cached-pack';
import { MemoryPackStore } from './pack-store';
import { MemoryRefStore } from './ref-store';

export class MemoryRepository implements GitRepository {
  readonly packs = new MemoryPackStore();
  readonly refs: MemoryRefStore;
  readonly odb: ObjectDatabase;
  readonly agent: string;
  readonly cachedPack: CachedPackStore;

  constructor(options: { agent?: string; head?: string } = {}) {
    this.refs = new MemoryRefStore({ head: options.head, packs: this.packs });
    this.odb = new ObjectDatabase(this.packs);
    this.agent = options.agent ?? 'gitflare/test';
    this.cachedPack = new MemoryCachedPackStore(this.packs);
  }

  async newPack(): Promise<PackWriter> {
    return this.packs.newPack();
  }
}
