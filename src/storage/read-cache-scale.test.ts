import { describe, expect, it } from 'vitest';
import { readCacheScale } from './pack-store';

describe('readCacheScale', () => {
  it('keeps whole caches up to 100,000 objects and gives way beyond, down to a quarter', () => {
    expect(readCacheScale(0)).toBe(1);
    expect(readCacheScale(60_337)).toBe(1);
    expect(readCacheScale(100_000)).toBe(1);
    expect(readCacheScale(200_000)).toBe(0.5);
    expect(readCacheScale(411_169)).toBe(0.25);
    expect(readCacheScale(10_000_000)).toBe(0.25);
  });
});
