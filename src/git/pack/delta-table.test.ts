import { describe, expect, it } from 'vitest';
import { DeltaTable } from './delta-table';

describe('DeltaTable', () => {
  it('keeps every column across growth, finds rows by offset, hands kept data out once', () => {
    const t = new DeltaTable();
    const n = 5000; // several growths past the first 1024 rows
    for (let i = 0; i < n; i++) {
      const ref = i % 7 === 0;
      t.add({
        offset: 100 + i * 37,
        dataOffset: 103 + i * 37,
        end: 130 + i * 37,
        crc32: 0xfffffff0 - i,
        deltaSize: i * 3,
        baseOffset: ref ? -1 : 50 + i,
        baseOid: ref ? i.toString(16).padStart(40, '0') : null,
        data: i % 11 === 0 ? new Uint8Array([i & 0xff]) : undefined,
      });
    }
    expect(t.length).toBe(n);
    for (const i of [0, 1, 1023, 1024, 2047, 2048, 4999]) {
      expect(t.find(100 + i * 37)).toBe(i);
      expect([t.dataOffset[i], t.end[i], t.crc32[i], t.deltaSize[i]]).toEqual([
        103 + i * 37,
        130 + i * 37,
        0xfffffff0 - i,
        i * 3,
      ]);
      expect(t.resolvedBase[i]).toBe(-2);
      expect(t.baseOid.get(i)).toBe(i % 7 === 0 ? i.toString(16).padStart(40, '0') : undefined);
      expect(t.baseOffset[i]).toBe(i % 7 === 0 ? -1 : 50 + i);
    }
    expect(t.find(101)).toBe(-1);
    expect(t.find(100 + n * 37)).toBe(-1);
    expect(t.takeKept(2046)?.[0]).toBe(2046 & 0xff);
    expect(t.takeKept(2046)).toBeUndefined();
    expect(t.takeKept(1)).toBeUndefined();

    expect(t.type(3000)).toBeUndefined();
    expect(t.oid(3000)).toBeUndefined();
    t.resolve(3000, 'a'.repeat(40), 'tree', 12, 77);
    expect([t.oid(3000), t.type(3000), t.depth[3000], t.resolvedBase[3000]]).toEqual([
      'a'.repeat(40),
      'tree',
      12,
      77,
    ]);
  });

  it("grows no further than the pack's object count", () => {
    const t = new DeltaTable(3000);
    for (let i = 0; i < 3000; i++) {
      t.add({ offset: i, dataOffset: i, end: i + 1, crc32: 0, deltaSize: 1, baseOffset: -1, baseOid: null });
    }
    // Doubling from 2048 would make room for 4096 rows.
    expect(t.offset.length).toBe(3000);
    expect(t.find(2999)).toBe(2999);
  });
});
