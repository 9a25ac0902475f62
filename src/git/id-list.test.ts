import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { settledBytes as settled } from '../../test/helpers/memory';
import { IdList } from './id-list';
import { idHexAt } from './oid';

describe('IdList', () => {
  it('gives back the ids in the order added, across chunks, from bytes or hex', () => {
    const bytes = randomBytes(20 * 10_000);
    const list = new IdList();
    const expected: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const hex = idHexAt(bytes, i * 20);
      expected.push(hex);
      if (i % 2 === 0) list.pushBytes(bytes, i * 20);
      else list.push(hex);
    }
    expect(list.length).toBe(10_000);
    expect([...list]).toEqual(expected);
    expect(list.at(6553)).toBe(expected[6553]);
    expect(() => list.at(10_000)).toThrow(RangeError);
  });

  it('refuses a malformed id without taking room for it', () => {
    const list = new IdList();
    const good = 'ab'.repeat(20);
    list.push(good);
    expect(() => list.push('zz'.repeat(20))).toThrow(/invalid object id/);
    expect(() => list.push('ab')).toThrow(/invalid object id/);
    list.push(good);
    expect([...list]).toEqual([good, good]);
  });

  it('holds 400,000 ids in about 20 bytes each, a third of an array of their hex strings', async () => {
    const n = 400_000;
    const bytes = randomBytes(20 * n);
    const before2 = await settled();
    const strings: string[] = [];
    for (let i = 0; i < n; i++) strings.push(idHexAt(bytes, i * 20));
    const hex = (await settled()) - before2;
    expect(strings.length).toBe(n);
    const before = await settled();
    const list = new IdList();
    for (let i = 0; i < n; i++) list.pushBytes(bytes, i * 20);
    const compact = (await settled()) - before;
    expect(list.length).toBe(n);
    const mib = (b: number) => (b / 1048576).toFixed(1);
    console.log(`${n} ids retained: IdList ${mib(compact)} MiB, hex strings ${mib(hex)} MiB`);
    expect(compact).toBeLessThan(n * 22);
    expect(hex).toBeGreaterThan(3 * compact);
    // Both still reachable here, so neither was collected before the other was measured.
    expect(strings[n - 1]).toBe(list.at(n - 1));
  });
});
