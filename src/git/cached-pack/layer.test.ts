/**
 * When a push's pack becomes the cached pack's next layer: exactly when, with the last layer's
 * packs, it holds what its tips reach, each object once (see layer.ts).
 */
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../oid';
import { PushLinks } from '../push/links';
import type { CachedPack, CachedPackStore, Oid, PackEntry, PackStore } from '../store';
import { extendCachedPack, type PushedPack } from './layer';

const oid = (c: string) => c.repeat(40);
const [blob, tree, commit, parent] = [oid('b'), oid('e'), oid('c'), oid('a')];
const enc = new TextEncoder();
const treeData = new Uint8Array([...enc.encode('100644 a.txt\0'), ...hexToBytes(blob)]);
const commitData = (parents: string[]) =>
  enc.encode(
    `tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nm\n`,
  );

/** The links of a commit (with `parents`) and its tree, with `packed` as the pack's objects. */
function linksWith(packed: string[], parents: string[] = []): PushLinks {
  const links = new PushLinks();
  links.visit('tree', treeData);
  links.visit('commit', commitData(parents));
  for (const o of packed) links.addPacked(hexToBytes(o));
  return links;
}

/**
 * A cached pack store holding `layers` (pack ids and tips) and, by their packs, the objects
 * `holds`; it records what `extend` is asked.
 */
function storeWith(layers: { packs: number[]; tips: Oid[] }[], holds: readonly Oid[] = []) {
  const extended: { base: readonly number[]; packId: number; tips: readonly Oid[] }[] = [];
  const store: CachedPackStore = {
    async get(): Promise<CachedPack[]> {
      return layers.map((l) => ({
        packs: l.packs.map((packId) => ({ packId, size: 100, objectCount: 1 })),
        tips: l.tips,
        objectCount: l.packs.length,
      }));
    },
    async extend(base, packId, tips) {
      extended.push({ base, packId, tips });
    },
    async contains(_packIds, oids) {
      return new Set(oids.filter((o) => holds.includes(o)));
    },
  };
  return { store, extended };
}

/** Stored objects by id, each in a pack. */
function packStore(where: Record<Oid, number>): PackStore {
  const entry = (o: Oid): PackEntry | null =>
    where[o] === undefined
      ? null
      : {
          oid: o,
          packId: where[o],
          offset: 0,
          dataOffset: 0,
          end: 0,
          type: 'blob',
          size: 0,
          baseOid: null,
          depth: 0,
          crc32: 0,
        };
  return {
    lookup: async (o) => entry(o),
    isEmpty: async () => Object.keys(where).length === 0,
    lookupMany: async (oids) =>
      new Map(oids.flatMap((o) => (entry(o) === null ? [] : [[o, entry(o) as PackEntry] as const]))),
    readPack: async () => new Uint8Array(0),
  };
}

const pushed = (links: PushLinks, more: Partial<PushedPack> = {}): PushedPack => ({
  packId: 9,
  links,
  twins: 0,
  distinct: true,
  externalBases: [],
  outsidePacks: new Set(),
  ...more,
});

describe('extendCachedPack', () => {
  it('starts the cached pack with a pack holding exactly what its tips reach', async () => {
    const { store, extended } = storeWith([]);
    await extendCachedPack(store, packStore({}), pushed(linksWith([commit, tree, blob])), [commit]);
    expect(extended).toEqual([{ base: [], packId: 9, tips: [commit] }]);
  });

  it('does not start it with a pack that points outside itself or holds more', async () => {
    const { store, extended } = storeWith([]);
    const out = pushed(linksWith([commit, tree]), { outsidePacks: new Set([1]) });
    await extendCachedPack(store, packStore({ [blob]: 1 }), out, [commit]);
    await extendCachedPack(store, packStore({}), pushed(linksWith([commit, tree, blob, oid('d')])), [commit]);
    expect(extended).toEqual([]);
  });

  it('adds a layer for a pack on top of the last one, and drops the tips it points to', async () => {
    const { store, extended } = storeWith([{ packs: [1, 2], tips: [parent, oid('f')] }]);
    const on = pushed(linksWith([commit, tree], [parent]), {
      outsidePacks: new Set([1]),
      externalBases: [oid('d')],
    });
    await extendCachedPack(store, packStore({ [oid('d')]: 2 }), on, [commit]);
    expect(extended).toEqual([{ base: [1, 2], packId: 9, tips: [oid('f'), commit] }]);
  });

  it.each([
    ['an object already stored', { twins: 1 }, {}],
    ['an object twice', { distinct: false }, {}],
    ['a link into a pack outside the cached pack', { outsidePacks: new Set([3]) }, {}],
    ['a delta base outside the cached pack', { externalBases: [oid('d')] }, { [oid('d')]: 3 }],
    ['a delta base not found', { externalBases: [oid('d')] }, {}],
  ])('adds no layer for a pack with %s', async (_, more, stored) => {
    const { store, extended } = storeWith([{ packs: [1], tips: [parent] }]);
    await extendCachedPack(store, packStore(stored), pushed(linksWith([commit, tree], [parent]), more), [
      commit,
    ]);
    expect(extended).toEqual([]);
  });

  it('adds a layer when what a lookup found in another pack has a copy in the cached pack', async () => {
    const { store, extended } = storeWith([{ packs: [1], tips: [parent] }], [parent, blob]);
    const on = pushed(linksWith([commit, tree], [parent]), { outsidePacks: new Set([1, 3]) });
    await extendCachedPack(store, packStore({}), on, [commit]);
    expect(extended).toEqual([{ base: [1], packId: 9, tips: [commit] }]);
    // Not when one of them has none.
    const { store: without, extended: none } = storeWith([{ packs: [1], tips: [parent] }], [parent]);
    await extendCachedPack(without, packStore({}), on, [commit]);
    expect(none).toEqual([]);
  });

  it('adds no layer when an object of the pack is not reachable from the new tips', async () => {
    const { store, extended } = storeWith([{ packs: [1], tips: [parent] }]);
    const links = linksWith([commit, tree, oid('d')], [parent]);
    await extendCachedPack(store, packStore({}), pushed(links, { outsidePacks: new Set([1]) }), [commit]);
    // The same pack is a layer when the object is a tip too.
    await extendCachedPack(store, packStore({}), pushed(links, { outsidePacks: new Set([1]) }), [
      commit,
      oid('d'),
    ]);
    expect(extended).toEqual([{ base: [1], packId: 9, tips: [commit, oid('d')] }]);
  });
});

describe('PushLinks', () => {
  it('knows which ids the pack points to, and whether its roots are among tips', async () => {
    const links = linksWith([commit, tree, blob], [parent]);
    expect([links.isLinked(parent), links.isLinked(blob), links.isLinked(commit)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(await links.rootsAmong(new Set([commit]))).toBe(true);
    expect(await links.rootsAmong(new Set([tree]))).toBe(false);
  });

  it('lists what it points to outside the pack: missing, or the packs holding it', async () => {
    const links = linksWith([commit, tree], [parent]);
    const outside = await links.outside(packStore({ [parent]: 4, [blob]: 5 }));
    expect(outside).toEqual({ missing: [], packs: new Set([4, 5]) });
    expect((await links.outside(packStore({ [parent]: 4 }))).missing).toEqual([blob]);
  });

  it("keeps the pack's objects apart from the ids they point to", () => {
    const links = linksWith([commit, tree, commit, oid('d')]);
    expect(links.packedSize).toBe(3);
    expect(new Set(links.packed())).toEqual(new Set([commit, tree, oid('d')]));
    expect([links.isPacked(commit), links.isPacked(blob), links.isPacked(oid('f'))]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
