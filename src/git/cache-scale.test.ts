import { describe, expect, it } from 'vitest';
import { cacheScaleFor } from './cache-scale';

describe('cacheScaleFor', () => {
  it('gives whole caches up to 100,000 objects, then less, down to a quarter', () => {
    expect(cacheScaleFor(0)).toBe(1);
    expect(cacheScaleFor(1)).toBe(1);
    expect(cacheScaleFor(60_337)).toBe(1);
    expect(cacheScaleFor(100_000)).toBe(1);
    expect(cacheScaleFor(200_000)).toBe(0.5);
    expect(cacheScaleFor(411_000)).toBe(0.25);
    expect(cacheScaleFor(0xffffffff)).toBe(0.25);
  });
});
