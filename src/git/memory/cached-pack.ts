/** The cached pack's layers in memory (see `CachedPackStore`), for tests and the Node test server. */
import { samePackIds } from '../cached-pack/clone';
import type { CachedPack, CachedPackStore, Oid } from '../store';
import type { MemoryPackStore } from './pack-store';

export class MemoryCachedPackStore implements CachedPackStore {
  /** Per layer: the pack it adds and the tips so far. Packs here are never dropped. */
  private layers: { packId: number; tips: readonly Oid[] }[] = [];

  constructor(private readonly packs: MemoryPackStore) {}

  async get(): Promise<readonly CachedPack[]> {
    return this.layers.map((_, i) => {
      const parts = this.layers.slice(0, i + 1).map(({ packId }) => ({
        packId,
        size: this.packs.packSize(packId),
        objectCount: this.packs.packObjectCount(packId),
      }));
      const objectCount = parts.reduce((n, p) => n + p.objectCount, 0);
      return { packs: parts, tips: this.layers[i].tips, objectCount };
    });
  }

  async extend(base: readonly number[], packId: number, tips: readonly Oid[]): Promise<void> {
    const last = this.layers.map((l) => l.packId);
    if (!samePackIds(last, base)) return;
    this.layers.push({ packId, tips });
  }

  async contains(packIds: readonly number[], oids: readonly Oid[]): Promise<Set<Oid>> {
    return new Set(oids.filter((oid) => packIds.some((id) => this.packs.packHas(id, oid))));
  }
}
