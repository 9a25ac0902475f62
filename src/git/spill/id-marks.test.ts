import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { bytesToHex } from '../oid';
import { OidSet } from '../oid-set';
import { IdMarks } from './id-marks';
import { MemorySpillStore } from './spill-store';

/**
 * `n` random ids, each distinct one three times over (as a push's links repeat): marked 1, then
 * 2 (far later, in another run once spilled), then 1 again.
 */
function adds(n: number): { id: Uint8Array; mark: number }[] {
  const distinct = Array.from({ length: Math.ceil(n / 3) }, () => new Uint8Array(randomBytes(20)));
  return Array.from({ length: n }, (_, i) => ({
    id: distinct[(i * 7919) % distinct.length],
    mark: 1 + (Math.floor(i / distinct.length) % 2),
  }));
}

describe('IdMarks', () => {
  test('past its limit it spills sorted runs and answers as one set in memory does', () => {
    const store = new MemorySpillStore();
    const marks = new IdMarks(store, 500);
    const reference = new OidSet();
    for (const { id, mark } of adds(6000)) {
      marks.addBytes(id, 0, mark);
      reference.addBytes(id, 0, mark);
    }
    expect(marks.spilled).toBe(true);
    expect(store.written).toBeGreaterThan(3);
    for (const [mark, without] of [
      [1, 2],
      [2, 1],
      [3, 0],
      [1, 0],
    ]) {
      const got = [...marks.marked(mark, without)];
      const want = [...reference.marked(mark, without)].sort();
      // In id order, each id once, marks OR-ed across runs.
      expect(got).toEqual(want);
      expect(marks.count(mark)).toBe(reference.countMarked(mark));
    }
    for (const oid of [...reference.marked(3)].slice(0, 200)) {
      expect([marks.has(oid, 1), marks.has(oid, 2)]).toEqual([reference.has(oid, 1), reference.has(oid, 2)]);
    }
    const absent = bytesToHex(new Uint8Array(randomBytes(20)));
    expect(marks.has(absent)).toBe(false);
    expect(marks.has('0'.repeat(40))).toBe(false);
    expect(marks.has('f'.repeat(40))).toBe(false);
    // The runs were merged into one; disposing drops it.
    expect(store.size).toBe(1);
    marks.dispose();
    expect(store.size).toBe(0);
  });

  test('once spilled, an id asked about again is answered without reading the store', () => {
    const store = new MemorySpillStore();
    let reads = 0;
    const get = store.get.bind(store);
    store.get = (run, seq) => {
      reads++;
      return get(run, seq);
    };
    const marks = new IdMarks(store, 500);
    const reference = new OidSet();
    for (const { id, mark } of adds(6000)) {
      marks.addBytes(id, 0, mark);
      reference.addBytes(id, 0, mark);
    }
    // Ids spread over the chunks (as a push's tips are), and one absent.
    const asked = [...reference.marked(3)].filter((_, i) => i % 50 === 0);
    asked.push(bytesToHex(new Uint8Array(randomBytes(20))));
    const answer = () => asked.map((oid) => [marks.has(oid, 1), marks.has(oid, 2)]);
    const first = answer();
    expect(first).toEqual(asked.map((oid) => [reference.has(oid, 1), reference.has(oid, 2)]));
    const afterFirst = reads;
    // Positive control: the first pass read chunks of the merged run.
    expect(afterFirst).toBeGreaterThan(1);
    expect(answer()).toEqual(first);
    expect(reads).toBe(afterFirst);
    // Disposed, the set forgets its answers with its ids.
    marks.dispose();
    expect(marks.has(asked[0])).toBe(false);
  });

  test('below its limit nothing is spilled', () => {
    const store = new MemorySpillStore();
    const marks = new IdMarks(store, 5000);
    for (const { id, mark } of adds(6000)) marks.addBytes(id, 0, mark);
    expect([...marks.marked(3)].length).toBe(2000);
    expect([marks.spilled, store.written]).toEqual([false, 0]);
  });

  test('ids added once it was read are refused (they would be lost)', () => {
    const marks = new IdMarks(new MemorySpillStore(), 10);
    for (const { id } of adds(60)) marks.addBytes(id);
    expect(marks.count(1)).toBe(20);
    expect(() => marks.addBytes(new Uint8Array(20))).toThrow(/after the set was read/);
  });
});
