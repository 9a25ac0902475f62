import { describe, expect, it } from 'vitest';
import { A, B, C, cmd, REF_PLAN_CASES, Z } from '../../../test/unit/ref-plan-cases';
import type { Oid } from '../store';
import { type PlannedUpdate, planRefUpdates, planResults, type RefView } from './plan';

function mapView(refs: Readonly<Record<string, Oid>>): RefView {
  const map = new Map(Object.entries(refs));
  return {
    get: (name) => map.get(name) ?? null,
    below: (name) => [...map.keys()].filter((n) => n.startsWith(`${name}/`)),
    isEmpty: () => map.size === 0,
  };
}

describe('planRefUpdates', () => {
  for (const c of REF_PLAN_CASES) {
    it(c.title, () => {
      const head = c.head ?? 'refs/heads/main';
      const plan = planRefUpdates(mapView(c.refs), c.commands, { atomic: c.atomic ?? false, head });
      const results = planResults(c.commands, plan);
      expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(c.expect);
      for (const [i, reason] of Object.entries(c.reasons ?? {})) {
        expect(results[Number(i)]).toMatchObject({ ok: false, reason });
      }
      expect(plan.updates).toEqual(c.commands.filter((_, i) => c.expect[i] === 'ok'));
      expect(plan.head ?? head).toBe(c.headAfter ?? head);
    });
  }

  it('carries the refused value and the expected one', () => {
    const plan = planRefUpdates(mapView({ 'refs/heads/main': A }), [cmd('refs/heads/main', B, C)], {
      atomic: false,
      head: 'refs/heads/main',
    });
    expect(plan.rejections).toEqual([
      {
        index: 0,
        name: 'refs/heads/main',
        rejection: { code: 'INCORRECT_OLD_VALUE', actual: A, expected: B },
      },
    ]);
  });

  it('keeps peeled values of the updates it accepts', () => {
    const tag = { name: 'refs/tags/v1', oldOid: Z, newOid: C, peeled: A };
    expect(planRefUpdates(mapView({}), [tag], { atomic: false, head: 'refs/heads/main' }).updates).toEqual([
      tag,
    ]);
  });
});

describe('a repository rule (the check hook)', () => {
  const refs = { 'refs/heads/main': A, 'refs/heads/topic': A };
  const protectMain = (seen: PlannedUpdate[]) => (u: PlannedUpdate) => {
    seen.push(u);
    return u.name === 'refs/heads/main' && u.kind === 'delete'
      ? { code: 'DECLINED' as const, reason: 'protected branch refs/heads/main cannot be deleted' }
      : undefined;
  };

  it('is asked about commands that pass the ref rules, with their kind and actual old value', () => {
    const seen: PlannedUpdate[] = [];
    const commands = [
      cmd('refs/heads/main', A, Z),
      cmd('refs/heads/topic', C, B),
      cmd('refs/heads/topic2', Z, B),
      cmd('refs/heads/topic', A, B),
    ];
    const plan = planRefUpdates(mapView(refs), commands.slice(0, 3), {
      atomic: false,
      head: 'refs/heads/main',
      check: protectMain(seen),
    });
    expect(planResults(commands.slice(0, 3), plan)).toEqual([
      {
        name: 'refs/heads/main',
        ok: false,
        code: 'DECLINED',
        reason: 'protected branch refs/heads/main cannot be deleted',
      },
      expect.objectContaining({ ok: false, code: 'INCORRECT_OLD_VALUE' }),
      { name: 'refs/heads/topic2', ok: true },
    ]);
    expect(seen).toEqual([
      { name: 'refs/heads/main', oldOid: A, newOid: Z, kind: 'delete' },
      { name: 'refs/heads/topic2', oldOid: Z, newOid: B, kind: 'create' },
    ]);
    seen.length = 0;
    planRefUpdates(mapView(refs), [commands[3]], {
      atomic: false,
      head: 'refs/heads/main',
      check: protectMain(seen),
    });
    expect(seen).toEqual([{ name: 'refs/heads/topic', oldOid: A, newOid: B, kind: 'update' }]);
  });

  it('a declined delete does not free the name, and refuses an atomic batch', () => {
    const commands = [cmd('refs/heads/main', A, Z), cmd('refs/heads/main/x', Z, B)];
    const plain = planRefUpdates(mapView(refs), commands, { atomic: false, head: 'refs/heads/main' });
    expect(plain.rejections).toEqual([]);
    const ruled = planRefUpdates(mapView(refs), commands, {
      atomic: true,
      head: 'refs/heads/main',
      check: protectMain([]),
    });
    expect(ruled.updates).toEqual([]);
    expect(ruled.rejections.map((r) => r.rejection.code)).toEqual(['DECLINED', 'NAME_CONFLICT']);
  });
});
