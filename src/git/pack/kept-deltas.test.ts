import { describe, expect, it } from 'vitest';
import { KeptDeltas } from './kept-deltas';

describe('KeptDeltas', () => {
  it('keeps each reserved range apart, across blocks, within its budget', () => {
    const kept = new KeptDeltas(2 * 1024 * 1024);
    const sizes = [10, 64 * 1024, 1000, 1024 * 1024 - 5, 7, 300 * 1024];
    const at = sizes.map((n, i) => {
      const a = kept.reserve(n);
      kept.view(a, n).fill(i + 1);
      return a;
    });
    expect(at.every((a) => a >= 0)).toBe(true);
    for (const [i, n] of sizes.entries()) expect(kept.view(at[i], n)).toEqual(new Uint8Array(n).fill(i + 1));
    // ~1.36 MiB used: 700 KiB more passes the budget, a small one still fits.
    expect(kept.reserve(700 * 1024)).toBe(-1);
    expect(kept.reserve(100)).toBeGreaterThanOrEqual(0);
    // Larger than a block: never kept.
    expect(new KeptDeltas(8 * 1024 * 1024).reserve(1024 * 1024 + 1)).toBe(-1);
    expect(new KeptDeltas(0).reserve(1)).toBe(-1);
    // Taken, a full block is let go; the last (still filling) block is kept.
    expect(kept.heldBytes).toBe(3 * 1024 * 1024);
    expect(kept.take(at[0], sizes[0])).toEqual(new Uint8Array(sizes[0]).fill(1));
    expect(kept.take(at[1], sizes[1])).toHaveLength(sizes[1]);
    expect(kept.heldBytes).toBe(3 * 1024 * 1024);
    expect(kept.take(at[2], sizes[2])).toHaveLength(sizes[2]);
    expect(kept.heldBytes).toBe(2 * 1024 * 1024);
    expect(() => kept.view(at[0], 1)).toThrow(/already taken/);
    expect(kept.view(at[3], 1)).toHaveLength(1);
    const last = kept.reserve(5);
    expect(kept.take(last, 5)).toHaveLength(5);
    expect(kept.view(last, 5)).toHaveLength(5);
    const empty = new KeptDeltas(10);
    expect(empty.view(empty.reserve(0), 0)).toHaveLength(0);
  });
});
