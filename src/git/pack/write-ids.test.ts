import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdList } from '../id-list';
import { idHexAt } from '../oid';
import type { Oid } from '../store';
import { rowOfId, sortedIdColumn } from './write-ids';

const column = (ids: Uint8Array): Oid[] => {
  const out: Oid[] = [];
  for (let at = 0; at < ids.length; at += 20) out.push(idHexAt(ids, at));
  return out;
};

describe('sortedIdColumn', () => {
  it('sorts in place and drops repeats, from hex ids and from an id list alike', () => {
    const distinct: Oid[] = [];
    const bytes = randomBytes(20 * 5000);
    for (let i = 0; i < 5000; i++) distinct.push(idHexAt(bytes, i * 20));
    // Each id one to three times, in a shuffled order: long permutation cycles and duplicates.
    const input: Oid[] = [];
    for (let i = 0; i < distinct.length; i++) for (let k = 0; k <= i % 3; k++) input.push(distinct[i]);
    for (let i = input.length - 1; i > 0; i--) {
      const j = bytes[i % bytes.length] % (i + 1);
      [input[i], input[j]] = [input[j], input[i]];
    }
    const expected = [...distinct].sort();
    expect(column(sortedIdColumn(input))).toEqual(expected);
    const list = new IdList();
    for (const oid of input) list.push(oid);
    expect(column(sortedIdColumn(list))).toEqual(expected);
    expect(list.length).toBe(input.length);
    const sorted = sortedIdColumn(list, true);
    expect(column(sorted)).toEqual(expected);
    expect(list.length).toBe(0);
    const scratch = new Uint8Array(20);
    expect(rowOfId(sorted, expected[1234], scratch)).toBe(1234);
    expect(rowOfId(sorted, 'f'.repeat(40), scratch)).toBe(expected.includes('f'.repeat(40)) ? 4999 : -1);
  });

  it('sorts a column big enough to be bucketed by two bytes, repeats and shared prefixes included', () => {
    const n = 100_000;
    const bytes = new Uint8Array(randomBytes(20 * n));
    // Ids sharing their first bytes fill buckets past the insertion sort's; a tenth repeat others.
    for (let i = 0; i < 3000; i++) bytes.set([0xab, 0xcd, i & 0xff], i * 20);
    for (let i = n - n / 10; i < n; i++) bytes.copyWithin(i * 20, (i - 5000) * 20, (i - 5000) * 20 + 20);
    const list = new IdList();
    for (let at = 0; at < bytes.length; at += 20) list.pushBytes(bytes, at);
    const expected = [...new Set(column(bytes))].sort();
    expect(column(sortedIdColumn(list, true))).toEqual(expected);
  });

  it('keeps a column without repeats and a single id as they are', () => {
    expect(column(sortedIdColumn(['b'.repeat(40), 'a'.repeat(40)]))).toEqual([
      'a'.repeat(40),
      'b'.repeat(40),
    ]);
    expect(column(sortedIdColumn(['c'.repeat(40)]))).toEqual(['c'.repeat(40)]);
    expect(column(sortedIdColumn([]))).toEqual([]);
  });
});
