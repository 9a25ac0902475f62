import { describe, expect, it } from 'vitest';
import { A, B, C, cmd, REF_PLAN_CASES, refsAfter, Z } from '../../../test/unit/ref-plan-cases';
import { MemoryRefStore } from './ref-store';

function store(head?: string) {
  const events: string[] = [];
  const refs = new MemoryRefStore({
    head,
    packs: {
      publish: (id) => void events.push(`publish ${id}`),
      discard: (id) => void events.push(`discard ${id}`),
    },
  });
  return { refs, events };
}

describe('MemoryRefStore', () => {
  for (const c of REF_PLAN_CASES) {
    it(`follows the rules: ${c.title}`, async () => {
      const { refs, events } = store(c.head);
      const seed = Object.entries(c.refs).map(([name, oid]) => cmd(name, Z, oid));
      await refs.update(seed, { atomic: true });
      refs.setHeadTarget(c.head ?? 'refs/heads/main');
      const results = await refs.update(c.commands, { atomic: c.atomic ?? false, publishPackId: 7 });
      expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(c.expect);
      expect(await refs.list()).toEqual(refsAfter(c));
      expect(await refs.headTarget()).toBe(c.headAfter ?? c.head ?? 'refs/heads/main');
      expect(events).toEqual([c.expect.includes('ok') ? 'publish 7' : 'discard 7']);
    });
  }

  it('keeps peeled values and filters by prefix', async () => {
    const { refs } = store();
    await refs.update(
      [{ name: 'refs/tags/v1', oldOid: Z, newOid: C, peeled: A }, cmd('refs/heads/x', Z, B)],
      {
        atomic: false,
      },
    );
    expect(await refs.list(['refs/tags/'])).toEqual([{ name: 'refs/tags/v1', oid: C, peeled: A }]);
  });
});
