/** A whole repository in memory (packs, objects, refs), for tests and the Node test server. */
import { ObjectDatabase } from '../odb';
import type { GitRepository } from '../protocol/repository';
import type { CachedPack, CachedPackStore, Oid, PackWriter } from '../store';
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
    const packs = this.packs;
    let record: { packId: number; tips: readonly Oid[] } | null = null;
    this.cachedPack = {
      async get(): Promise<CachedPack | null> {
        if (record === null) return null;
        return {
          ...record,
          size: packs.packSize(record.packId),
          objectCount: packs.packObjectCount(record.packId),
        };
      },
      async set(packId, tips) {
        record = { packId, tips };
      },
      async contains(packId, oids) {
        return new Set(oids.filter((oid) => packs.packHas(packId, oid)));
      },
    };
  }

  async newPack(): Promise<PackWriter> {
    return this.packs.newPack();
  }
}
