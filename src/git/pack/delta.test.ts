import { describe, expect, it } from 'vitest';
import { sameBytes } from '../../../test/helpers/git';
import { DeltaError } from '../errors';
import { applyDelta, readDeltaSizes } from './delta-apply';
import { createDelta } from './delta-create';

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function edit(src: Uint8Array, seed: number, edits: number): Uint8Array {
  let cur = src;
  let s = seed;
  for (let k = 0; k < edits; k++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const at = s % (cur.length + 1);
    const ins = randomBytes((s >>> 8) % 40, s);
    const del = Math.min((s >>> 16) % 30, cur.length - at);
    const next = new Uint8Array(cur.length - del + ins.length);
    next.set(cur.subarray(0, at));
    next.set(ins, at);
    next.set(cur.subarray(at + del), at + ins.length);
    cur = next;
  }
  return cur;
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DeltaError);
    expect((e as DeltaError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('delta create + apply', () => {
  it('round-trips edited inputs and produces small deltas', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const src = randomBytes(200 + seed * 997, seed);
      const dst = edit(src, seed, 1 + (seed % 12));
      const delta = createDelta(src, dst, Number.MAX_SAFE_INTEGER);
      expect(delta).not.toBeNull();
      if (!delta) continue;
      expect(sameBytes(applyDelta(src, delta), dst)).toBe(true);
      expect(delta.length).toBeLessThan(dst.length / 4 + 2000);
    }
  });

  it('round-trips unrelated random inputs, empty inputs and large copies (> 64 KiB)', () => {
    const cases: [Uint8Array, Uint8Array][] = [
      [randomBytes(5000, 7), randomBytes(3000, 8)],
      [new Uint8Array(0), randomBytes(100, 9)],
      [randomBytes(100, 10), new Uint8Array(0)],
      [new Uint8Array(0), new Uint8Array(0)],
      [randomBytes(300_000, 11), randomBytes(300_000, 11)],
      [randomBytes(15, 12), randomBytes(15, 12)],
    ];
    for (const [src, dst] of cases) {
      const delta = createDelta(src, dst, Number.MAX_SAFE_INTEGER);
      expect(delta).not.toBeNull();
      if (delta) expect(sameBytes(applyDelta(src, delta), dst)).toBe(true);
    }
    const big = randomBytes(300_000, 11);
    const d = createDelta(big, big, Number.MAX_SAFE_INTEGER) as Uint8Array;
    expect(d.length).toBeLessThan(100);
    expect(readDeltaSizes(d)).toMatchObject({ sourceSize: 300_000, targetSize: 300_000 });
  });

  it('returns null when the delta would exceed maxSize', () => {
    expect(createDelta(randomBytes(4000, 1), randomBytes(4000, 2), 1000)).toBeNull();
  });
});

describe('delta apply into a reused buffer', () => {
  it('writes the same bytes into a larger buffer, and allocates when it is too small', () => {
    const scratch = new Uint8Array(64 * 1024).fill(0xee);
    for (let seed = 1; seed <= 20; seed++) {
      const src = randomBytes(100 + seed * 1500, seed);
      const dst = edit(src, seed, 1 + (seed % 9));
      const delta = createDelta(src, dst, Number.MAX_SAFE_INTEGER) as Uint8Array;
      const into = applyDelta(src, delta, scratch);
      expect(sameBytes(into, dst)).toBe(true);
      if (dst.length <= scratch.length) expect(into.buffer).toBe(scratch.buffer);
      const small = new Uint8Array(Math.max(0, dst.length - 1));
      const fresh = applyDelta(src, delta, small);
      expect(sameBytes(fresh, dst)).toBe(true);
      expect(fresh.buffer).not.toBe(small.buffer);
    }
  });
});

describe('delta apply rejects bad deltas', () => {
  const base = randomBytes(100, 3);
  it('wrong source size', () =>
    expectCode(() => applyDelta(base, Uint8Array.of(99, 4, 4, 1, 2, 3, 4)), 'DELTA_SOURCE_SIZE'));
  it('copy out of bounds', () =>
    expectCode(() => applyDelta(base, Uint8Array.of(100, 10, 0x91, 95, 10)), 'DELTA_OUT_OF_BOUNDS'));
  it('target larger than declared', () =>
    expectCode(() => applyDelta(base, Uint8Array.of(100, 2, 0x90, 10)), 'DELTA_TARGET_SIZE'));
  it('target smaller than declared', () =>
    expectCode(() => applyDelta(base, Uint8Array.of(100, 20, 0x90, 10)), 'DELTA_TARGET_SIZE'));
  it('truncated insert', () =>
    expectCode(() => applyDelta(base, Uint8Array.of(100, 5, 5, 1, 2)), 'DELTA_TRUNCATED'));
  it('truncated copy', () =>
    expectCode(() => applyDelta(base, Uint8Array.of(100, 5, 0x91, 1)), 'DELTA_TRUNCATED'));
  it('truncated header', () => expectCode(() => applyDelta(base, Uint8Array.of(0xe4)), 'DELTA_TRUNCATED'));
  it('reserved opcode 0', () =>
    expectCode(() => applyDelta(base, Uint8Array.of(100, 5, 0)), 'DELTA_BAD_OPCODE'));
});
