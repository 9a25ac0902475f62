/**
 * The repository's cached pack (see `CachedPack` in the engine): which live pack holds exactly
 * the objects of which tips. One record in `meta`; it lapses by itself when its pack is retired.
 */
import type { CachedPack, CachedPackStore, Oid } from '../git/store';
import { oidKey, type PackIndexReader } from './pack-index';

const KEY = 'cached_pack';
/** Cached packs at least this big are not compacted (see keptPackId). */
const KEEP_BYTES = 1024 * 1024;

interface Stored {
  packId: number;
  tips: readonly Oid[];
}

export class SqlCachedPackStore implements CachedPackStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly index: PackIndexReader,
  ) {}

  /**
   * The cached pack for compaction to leave alone, when it is worth keeping: a big one saves
   * every clone a walk; a small one is merged with the rest (the record then lapses), since
   * walking a small history costs little and its pack would otherwise stay apart forever.
   */
  async keptPackId(): Promise<number | null> {
    const cached = await this.get();
    return cached !== null && cached.size >= KEEP_BYTES ? cached.packId : null;
  }

  async get(): Promise<CachedPack | null> {
    const s = this.stored();
    if (s === null) return null;
    const pack = this.sql
      .exec<{ size: number; object_count: number }>(
        "SELECT size, object_count FROM packs WHERE id = ? AND state = 'live'",
        s.packId,
      )
      .toArray()[0];
    if (pack === undefined) return null;
    return { packId: s.packId, tips: s.tips, size: pack.size, objectCount: pack.object_count };
  }

  async set(packId: number, tips: readonly Oid[]): Promise<void> {
    const value = JSON.stringify({ packId, tips } satisfies Stored);
    this.sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', KEY, value);
  }

  async contains(packId: number, oids: readonly Oid[]): Promise<Set<Oid>> {
    const found = new Set<Oid>();
    // In id order, consecutive lookups land in the same index chunk.
    for (const oid of [...oids].sort()) {
      const key = oidKey(oid);
      if (key !== null && this.index.lookup(packId, oid, key) !== null) found.add(oid);
    }
    return found;
  }

  private stored(): Stored | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', KEY).toArray()[0];
    return row === undefined ? null : (JSON.parse(row.value) as Stored);
  }
}
