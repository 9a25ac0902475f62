/**
 * The repository's cached pack (see `CachedPack` and `CachedPackStore` in the engine): its layers,
 * each the packs it adds and the tips of all packs so far, as one record in `meta`. A layer lapses
 * by itself, with the layers after it, when one of its packs is no longer live.
 */
import { samePackIds } from '../git/cached-pack/clone';
import type { CachedPack, CachedPackPart, CachedPackStore, Oid } from '../git/store';
import { readMeta, writeMeta } from './meta';
import { oidKey, type PackIndexReader } from './pack-index';

const KEY = 'cached_pack';
/**
 * Layers kept: beyond, the two oldest become one (a clone that cannot use the last layers falls
 * back less far). Compaction merges the packs of small layers, which keeps the list short anyway.
 */
const MAX_LAYERS = 16;
/**
 * Tips of all layers kept in the record: a row holds at most 2 MB and an id is 43 bytes of JSON.
 * Beyond, the oldest layers become one; a single layer with more tips is not kept (its clones walk).
 */
export const MAX_TIPS = 40_000;

interface StoredLayer {
  /** Packs this layer adds to the one before, in order. */
  packs: number[];
  tips: Oid[];
}

interface LiveLayer {
  readonly stored: StoredLayer;
  readonly cached: CachedPack;
}

/** Written by earlier versions: one pack. */
interface StoredSingle {
  packId: number;
  tips: Oid[];
}

export class SqlCachedPackStore implements CachedPackStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly index: PackIndexReader,
  ) {}

  async get(): Promise<readonly CachedPack[]> {
    return this.liveLayers().map((l) => l.cached);
  }

  async extend(base: readonly number[], packId: number, tips: readonly Oid[]): Promise<void> {
    const live = this.liveLayers();
    if (samePackIds(packIdsOf(live.at(-1)?.cached), base)) this.appendAfter(live, live.length, packId, tips);
  }

  /**
   * Record a layer after the live layer made of the packs `base`, dropping the layers after that
   * one (a repair, see cached-pack-rebuild.ts). False when no layer is made of them.
   */
  replaceAfter(base: readonly number[], packId: number, tips: readonly Oid[]): boolean {
    const live = this.liveLayers();
    const at = live.findIndex((l) => samePackIds(packIdsOf(l.cached), base));
    if (at < 0) return false;
    this.appendAfter(live, at + 1, packId, tips);
    return true;
  }

  /** The cached pack becomes one layer: pack `packId` with `tips` (a whole rebuild, see whole-rebuild.ts). */
  replaceAll(packId: number, tips: readonly Oid[]): void {
    this.appendAfter([], 0, packId, tips);
  }

  /** Keep the first `count` live layers and add one with pack `packId` and `tips`. */
  private appendAfter(live: readonly LiveLayer[], count: number, packId: number, tips: readonly Oid[]): void {
    this.write([...live.slice(0, count).map((l) => l.stored), { packs: [packId], tips: [...tips] }]);
  }

  async contains(packIds: readonly number[], oids: readonly Oid[]): Promise<Set<Oid>> {
    // In id order, consecutive lookups land in the same index chunk.
    return new Set([...oids].sort().filter((oid) => this.holds(packIds, oid)));
  }

  /** Whether one of the packs `packIds` holds `oid`. */
  holds(packIds: readonly number[], oid: Oid): boolean {
    const key = oidKey(oid);
    return key !== null && packIds.some((id) => this.index.lookup(id, oid, key) !== null);
  }

  /** The packs of layers, for compaction: which live packs a cached pack is made of, in order. */
  layerPacks(): number[][] {
    return this.liveLayers().map((l) => l.stored.packs);
  }

  /**
   * After compaction merged `merged` (packs of consecutive layers) into `into`: those layers
   * become one, with the tips of the last of them. Called in compaction's publishing transaction.
   */
  replacePacks(merged: readonly number[], into: number): void {
    const gone = new Set(merged);
    const layers = this.liveLayers().map((l) => l.stored);
    const touched = layers.flatMap((l, i) => (l.packs.some((p) => gone.has(p)) ? [i] : []));
    if (touched.length === 0) return;
    // Layers are cumulative, so any run of them may become one: the span from the first to the
    // last layer that lost a pack (compaction merges consecutive ones).
    const [from, to] = [touched[0], touched[touched.length - 1]];
    const span = layers.slice(from, to + 1);
    const joined: StoredLayer = {
      packs: [into, ...span.flatMap((l) => l.packs.filter((p) => !gone.has(p)))],
      tips: span[span.length - 1].tips,
    };
    this.write([...layers.slice(0, from), joined, ...layers.slice(to + 1)]);
  }

  private write(layers: StoredLayer[]): void {
    const tipCount = (): number => layers.reduce((n, l) => n + l.tips.length, 0);
    while (layers.length > 1 && (layers.length > MAX_LAYERS || tipCount() > MAX_TIPS)) {
      const [a, b] = layers;
      layers.splice(0, 2, { packs: [...a.packs, ...b.packs], tips: b.tips });
    }
    const value = JSON.stringify({ layers: tipCount() > MAX_TIPS ? [] : layers });
    writeMeta(this.sql, KEY, value);
  }

  /** Stored layers up to the first with a pack that is not live, each with its cached pack. */
  private liveLayers(): LiveLayer[] {
    const out: LiveLayer[] = [];
    const packs: CachedPackPart[] = [];
    for (const stored of this.stored()) {
      for (const packId of stored.packs) {
        const part = this.livePack(packId);
        if (part === null) return out;
        packs.push(part);
      }
      const objectCount = packs.reduce((n, p) => n + p.objectCount, 0);
      out.push({ stored, cached: { packs: [...packs], tips: stored.tips, objectCount } });
    }
    return out;
  }

  private livePack(packId: number): CachedPackPart | null {
    const row = this.sql
      .exec<{ size: number; object_count: number }>(
        "SELECT size, object_count FROM packs WHERE id = ? AND state = 'live'",
        packId,
      )
      .toArray()[0];
    return row === undefined ? null : { packId, size: row.size, objectCount: row.object_count };
  }

  private stored(): StoredLayer[] {
    const stored = readMeta(this.sql, KEY);
    if (stored === null) return [];
    const value = JSON.parse(stored) as { layers: StoredLayer[] } | StoredSingle;
    return 'layers' in value ? value.layers : [{ packs: [value.packId], tips: value.tips }];
  }
}

function packIdsOf(layer: CachedPack | undefined): number[] {
  return layer?.packs.map((p) => p.packId) ?? [];
}
