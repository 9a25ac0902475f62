import { describe, expect, it } from 'vitest';
import { EntryTable, EXTERNAL_BASE, UNKNOWN_BASE, WHOLE } from './entry-table';

describe('EntryTable', () => {
  it('keeps every column across growth, finds rows by offset, hands kept data out once', () => {
    const t = new EntryTable(Number.POSITIVE_INFINITY, 4 * 1024 * 1024);
    const n = 5000; // several growths past the first 1024 rows
    const keep = (i: number) => {
      const at = t.kept.reserve(i * 3);
      t.kept.view(at, i * 3).fill(i & 0xff);
      return at;
    };
    const base = (i: number) => (i % 5 === 0 ? WHOLE : i % 7 === 0 ? UNKNOWN_BASE : i - 1);
    for (let i = 0; i < n; i++) {
      const ref = base(i) === UNKNOWN_BASE;
      t.add({
        offset: 100 + i * 37,
        dataOffset: 103 + i * 37,
        end: 130 + i * 37,
        crc32: 0xfffffff0 - i,
        size: i * 3,
        base: base(i),
        baseOid: ref ? i.toString(16).padStart(40, '0') : null,
        keptAt: i % 11 === 0 ? keep(i) : undefined,
      });
    }
    expect(t.length).toBe(n);
    expect(t.deltaCount).toBe(n - n / 5);
    for (const i of [0, 1, 1023, 1024, 2047, 2048, 4999]) {
      expect(t.find(100 + i * 37)).toBe(i);
      expect([t.dataOffset(i), t.end(i), t.crc32[i], t.size[i], t.base[i]]).toEqual([
        103 + i * 37,
        130 + i * 37,
        0xfffffff0 - i,
        i * 3,
        base(i),
      ]);
      expect(t.isDelta(i)).toBe(i % 5 !== 0);
      expect(t.baseOid.get(i)).toBe(base(i) === UNKNOWN_BASE ? i.toString(16).padStart(40, '0') : undefined);
    }
    expect(t.find(101)).toBe(-1);
    expect(t.find(100 + n * 37)).toBe(-1);
    expect(t.takeKept(2046)).toEqual(new Uint8Array(2046 * 3).fill(2046 & 0xff));
    expect(t.takeKept(4994)).toEqual(new Uint8Array(4994 * 3).fill(4994 & 0xff));
    expect(t.takeKept(2046)).toBeUndefined();
    expect(t.takeKept(1)).toBeUndefined();

    expect(t.firstUnresolved()).toBe(0);
    expect(t.type(3001)).toBeUndefined();
    expect(t.oid(3001)).toBeUndefined();
    t.resolve(3001, 'a'.repeat(40), 'tree', 12);
    expect([t.oid(3001), t.type(3001), t.depth[3001], t.base[3001]]).toEqual([
      'a'.repeat(40),
      'tree',
      12,
      3000,
    ]);
    t.resolve(3003, 'b'.repeat(40), 'blob', 2, EXTERNAL_BASE);
    expect(t.base[3003]).toBe(EXTERNAL_BASE);
    for (let i = 0; i < n; i++) if (t.type(i) === undefined) t.resolve(i, 'c'.repeat(40), 'blob', 0);
    expect(t.firstUnresolved()).toBe(-1);
    expect(t.oid(3001)).toBe('a'.repeat(40));
  });

  it("grows no further than the pack's object count", () => {
    const t = new EntryTable(3000);
    for (let i = 0; i < 3000; i++) {
      t.add({ offset: i, dataOffset: i, end: i + 1, crc32: 0, size: 1, base: WHOLE, baseOid: null });
    }
    // Doubling from 2048 would make room for 4096 rows.
    expect(t.offset.length).toBe(3000);
    expect(t.find(2999)).toBe(2999);
  });

  it('takes offsets past 4 GiB and refuses an entry larger than 4 GiB', () => {
    const t = new EntryTable();
    const far = 5 * 2 ** 32 + 12;
    t.add({
      offset: far,
      dataOffset: far + 3,
      end: far + 1003,
      crc32: 0,
      size: 2 ** 32 - 1,
      base: WHOLE,
      baseOid: null,
    });
    expect([t.find(far), t.dataOffset(0), t.end(0), t.size[0]]).toEqual([
      0,
      far + 3,
      far + 1003,
      2 ** 32 - 1,
    ]);
    const huge = { offset: far + 2000, dataOffset: far + 2002, crc32: 0, base: WHOLE, baseOid: null };
    expect(() => t.add({ ...huge, end: far + 2010, size: 2 ** 32 })).toThrow(/larger than 4 GiB/);
    expect(() => t.add({ ...huge, end: far + 2002 + 2 ** 32, size: 1 })).toThrow(/larger than 4 GiB/);
    expect(t.length).toBe(1);
  });
});
