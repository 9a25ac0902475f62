import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createInflate } from '../git/pack/zlib';
import { nativeInflate } from './native-inflate';

const engine = createInflate();
const native = nativeInflate(createInflate());

/** What an inflate returns or throws, comparable. */
function outcome(inflate: (z: Uint8Array, size: number) => Uint8Array, z: Uint8Array, size: number) {
  try {
    return { data: Buffer.from(inflate(z, size)).toString('hex') };
  } catch (e) {
    return { error: `${(e as { code?: string }).code}: ${(e as Error).message}` };
  }
}

const text = (n: number) =>
  new TextEncoder().encode('the quick brown fox jumps over the lazy dog\n'.repeat(n));

describe('nativeInflate', () => {
  it('inflates as the engine does, small and big, text and random', () => {
    for (const raw of [
      text(1),
      text(40),
      text(3000),
      new Uint8Array(randomBytes(70_000)),
      new Uint8Array(0),
    ]) {
      const z = new Uint8Array(deflateSync(raw));
      const got = native(z, raw.length);
      expect(Buffer.from(got).equals(Buffer.from(raw))).toBe(true);
      expect(outcome(native, z, raw.length)).toEqual(outcome(engine, z, raw.length));
    }
  });

  it('keeps only the object: what it returns holds no bigger buffer', () => {
    const raw = text(20); // 880 bytes: inflated natively
    const got = native(new Uint8Array(deflateSync(raw)), raw.length);
    expect(got.byteLength).toBe(raw.length);
    expect(got.buffer.byteLength).toBeLessThanOrEqual(raw.length + 64);
  });

  it('fails on corrupt, truncated, too long and too short streams with the engine’s errors', () => {
    const raw = text(100);
    const z = new Uint8Array(deflateSync(raw));
    const flipped = z.slice();
    flipped[z.length - 1] ^= 1; // the adler-32 trailer
    const garbled = z.slice();
    garbled[8] ^= 0xff;
    const cases: Array<[Uint8Array, number]> = [
      [z.subarray(0, z.length - 3), raw.length],
      [z.subarray(0, 20), raw.length],
      [flipped, raw.length],
      [garbled, raw.length],
      [z, raw.length - 1],
      [z, raw.length + 1],
      [new Uint8Array(0), 600],
      [new Uint8Array(600), 600],
    ];
    for (const [input, size] of cases) {
      const want = outcome(engine, input, size);
      expect(want.error).toBeDefined();
      expect(outcome(native, input, size)).toEqual(want);
    }
    // The reused stream still inflates after all of them.
    expect(outcome(native, z, raw.length)).toEqual({ data: Buffer.from(raw).toString('hex') });
  });
});
