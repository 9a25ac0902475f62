import { describe, expect, it } from 'vitest';
import { batches } from './batches';

describe('batches', () => {
  it('cuts any iterable into lists of the size, the last shorter, none empty', () => {
    expect([...batches([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...batches([1, 2, 3, 4], 2)]).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect([...batches([], 3)]).toEqual([]);
    function* ids() {
      for (let i = 0; i < 7; i++) yield `id${i}`;
    }
    expect([...batches(ids(), 3)].map((b) => b.length)).toEqual([3, 3, 1]);
  });
});
