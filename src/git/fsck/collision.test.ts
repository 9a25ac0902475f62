/**
 * The collision guard on twins (pushed objects the repository already stores): a pack sent again
 * as it was is compared entry by entry without inflating, the same objects encoded otherwise are
 * compared by content, and other bytes under a stored id are refused either way.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chunked, gitBytes, makeRepo, removeDir } from '../../../test/helpers/git';
import { obj, packOf, storeUnderId, wholeEntry } from '../../../test/helpers/packs';
import { MemoryPackStore } from '../memory/pack-store';
import { ObjectDatabase } from '../odb';
import { indexPack } from '../pack/index-pack';
import type { PackWriter } from '../store';
import { CollisionError, checkCollisions } from './collision';

let repo: string;
beforeAll(() => {
  repo = makeRepo(60);
});
afterAll(() => removeDir(repo));

/** A store holding the repository's history, and a pending pack of `pack` indexed into it. */
async function storedThenPushed(pack: Uint8Array) {
  const store = new MemoryPackStore();
  const first = store.newPack();
  await indexPack(
    chunked(gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q'], ''), 65536),
    first,
    store,
  );
  store.publish(first.packId);
  const pending: PackWriter = store.newPack();
  const r = await indexPack(chunked(pack, 65536), pending, store);
  return { store, pending, oids: [...r.oids] };
}

describe('checkCollisions', () => {
  it('passes a pack sent again as it was without inflating either copy', async () => {
    const pack = gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q'], '');
    const { store, pending, oids } = await storedThenPushed(pack);
    const inflated = vi.spyOn(ObjectDatabase.prototype, 'readEntryData');
    try {
      expect(await checkCollisions(oids, store, new ObjectDatabase(store), pending)).toBe(oids.length);
      expect(inflated).not.toHaveBeenCalled();
    } finally {
      inflated.mockRestore();
    }
    // The pack has deltas: the shortcut covers them too.
    const deltas = [...(await store.lookupMany(oids)).values()].filter((e) => e.baseOid !== null);
    expect(deltas.length).toBeGreaterThan(10);
  });

  it('compares by content the same objects encoded otherwise (whole, no deltas)', async () => {
    const pack = gitBytes(
      repo,
      ['pack-objects', '--all', '--revs', '--stdout', '-q', '--no-reuse-delta', '--window=0'],
      '',
    );
    const { store, pending, oids } = await storedThenPushed(pack);
    const inflated = vi.spyOn(ObjectDatabase.prototype, 'readEntryData');
    try {
      expect(await checkCollisions(oids, store, new ObjectDatabase(store), pending)).toBe(oids.length);
      // The stored deltas differ from the pushed whole objects: those are inflated and compared.
      expect(inflated).toHaveBeenCalled();
    } finally {
      inflated.mockRestore();
    }
  });

  it('refuses other bytes stored under a pushed id, encoded to the same length', async () => {
    const good = obj('blob', 'good');
    const evil = wholeEntry(obj('blob', 'evil'));
    // The two zlib streams are the same length: only their bytes tell them apart.
    expect(evil.payload.length).toBe(wholeEntry(good).payload.length);
    const store = new MemoryPackStore();
    // "evil" stored under the id of "good", as a SHA-1 collision would have it.
    await storeUnderId(store, good.oid, obj('blob', 'evil'));
    const pending = store.newPack();
    const r = await indexPack(chunked(packOf([good]), 65536), pending, store);
    await expect(
      checkCollisions([...r.oids], store, new ObjectDatabase(store), pending),
    ).rejects.toBeInstanceOf(CollisionError);
    // The positive control: the same object stored as pushed is a twin, not a collision.
    const honest = new MemoryPackStore();
    const h = honest.newPack();
    await indexPack(chunked(packOf([good]), 65536), h, honest);
    honest.publish(h.packId);
    const p2 = honest.newPack();
    const r2 = await indexPack(chunked(packOf([good]), 65536), p2, honest);
    expect(await checkCollisions([...r2.oids], honest, new ObjectDatabase(honest), p2)).toBe(1);
  });
});
