import { describe, expect, it } from 'vitest';
import { ZERO_OID } from '../store';
import { MemoryRefStore } from './ref-store';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function store() {
  const events: string[] = [];
  const refs = new MemoryRefStore({
    packs: {
      publish: (id) => void events.push(`publish ${id}`),
      discard: (id) => void events.push(`discard ${id}`),
    },
  });
  return { refs, events };
}

describe('MemoryRefStore', () => {
  it('creates, updates and deletes with compare-and-swap', async () => {
    const { refs } = store();
    expect(
      await refs.update([{ name: 'refs/heads/main', oldOid: ZERO_OID, newOid: A }], { atomic: false }),
    ).toEqual([{ name: 'refs/heads/main', ok: true }]);
    const results = await refs.update(
      [
        { name: 'refs/heads/main', oldOid: C, newOid: B },
        { name: 'refs/heads/new', oldOid: ZERO_OID, newOid: B },
        { name: 'refs/heads/main', oldOid: A, newOid: B },
      ],
      { atomic: false },
    );
    expect(results.map((r) => r.ok)).toEqual([false, true, false]);
    expect(results[0]).toMatchObject({ reason: 'stale info' });
    expect(await refs.list()).toEqual([
      { name: 'refs/heads/main', oid: A },
      { name: 'refs/heads/new', oid: B },
    ]);
    expect(
      await refs.update([{ name: 'refs/heads/main', oldOid: A, newOid: ZERO_OID }], { atomic: false }),
    ).toEqual([{ name: 'refs/heads/main', ok: true }]);
    expect((await refs.list()).map((r) => r.name)).toEqual(['refs/heads/new']);
    const again = await refs.update([{ name: 'refs/heads/main', oldOid: ZERO_OID, newOid: ZERO_OID }], {
      atomic: false,
    });
    expect(again[0]).toMatchObject({ ok: false, reason: 'no such ref' });
  });

  it('atomic: one failure rejects all and drops the pack', async () => {
    const { refs, events } = store();
    await refs.update([{ name: 'refs/heads/main', oldOid: ZERO_OID, newOid: A }], {
      atomic: false,
      publishPackId: 1,
    });
    const results = await refs.update(
      [
        { name: 'refs/heads/x', oldOid: ZERO_OID, newOid: B },
        { name: 'refs/heads/main', oldOid: B, newOid: C },
      ],
      { atomic: true, publishPackId: 2 },
    );
    expect(results).toEqual([
      { name: 'refs/heads/x', ok: false, reason: 'atomic push failure' },
      { name: 'refs/heads/main', ok: false, reason: 'stale info' },
    ]);
    expect(await refs.list()).toEqual([{ name: 'refs/heads/main', oid: A }]);
    expect(events).toEqual(['publish 1', 'discard 2']);
  });

  it('moves HEAD to the first branch created in an empty repository, keeps peeled values, filters by prefix', async () => {
    const { refs } = store();
    expect(await refs.headTarget()).toBe('refs/heads/main');
    await refs.update(
      [
        { name: 'refs/tags/v1', oldOid: ZERO_OID, newOid: C, peeled: A },
        { name: 'refs/heads/zeta', oldOid: ZERO_OID, newOid: A },
        { name: 'refs/heads/alpha', oldOid: ZERO_OID, newOid: B },
      ],
      { atomic: false },
    );
    expect(await refs.headTarget()).toBe('refs/heads/alpha');
    expect(await refs.list(['refs/tags/'])).toEqual([{ name: 'refs/tags/v1', oid: C, peeled: A }]);
    // Not empty any more: HEAD stays even when its branch is deleted.
    await refs.update([{ name: 'refs/heads/alpha', oldOid: B, newOid: ZERO_OID }], { atomic: false });
    expect(await refs.headTarget()).toBe('refs/heads/alpha');
  });

  it('keeps HEAD when the first push creates its branch', async () => {
    const { refs } = store();
    await refs.update(
      [
        { name: 'refs/heads/a', oldOid: ZERO_OID, newOid: A },
        { name: 'refs/heads/main', oldOid: ZERO_OID, newOid: A },
      ],
      { atomic: false },
    );
    expect(await refs.headTarget()).toBe('refs/heads/main');
  });
});
