import { describe, expect, it } from 'vitest';
import { readBody } from './body-stream';

/** A stand-in for workerd's byte stream: readAtLeast fills at least `min` bytes unless it ends. */
function atLeastStream(data: Uint8Array, log: { reads: number; cancelled: boolean; released: boolean }) {
  let pos = 0;
  const reader = {
    async readAtLeast(min: number, view: Uint8Array) {
      log.reads++;
      if (pos >= data.length) return { done: true, value: view.subarray(0, 0) };
      const n = Math.min(view.length, data.length - pos, Math.max(min, 1));
      view.set(data.subarray(pos, pos + n));
      pos += n;
      return { done: false, value: view.subarray(0, n) };
    },
    releaseLock() {
      log.released = true;
    },
    async cancel() {
      log.cancelled = true;
    },
  };
  return { getReader: () => reader } as unknown as ReadableStream<Uint8Array>;
}

describe('readBody', () => {
  it('reads a body in large pieces where readAtLeast exists, every byte once', async () => {
    const data = new Uint8Array(600_000).map((_, i) => i * 13);
    const log = { reads: 0, cancelled: false, released: false };
    const pieces: Uint8Array[] = [];
    for await (const p of readBody(atLeastStream(data, log))) pieces.push(p.slice());
    expect(pieces.every((p, i) => i === pieces.length - 1 || p.length >= 64 * 1024)).toBe(true);
    expect(Buffer.concat(pieces).equals(Buffer.from(data))).toBe(true);
    expect(log.reads).toBeLessThan(12);
    expect(log.released).toBe(true);
  });

  it('gives a fresh buffer per piece by default, and reads ahead into two in turn when asked', async () => {
    const data = new Uint8Array(1_000_000).map((_, i) => i * 7);
    const log = { reads: 0, cancelled: false, released: false };
    const kept = new Set<ArrayBufferLike>();
    let pieces = 0;
    for await (const p of readBody(atLeastStream(data, log))) {
      kept.add(p.buffer);
      pieces++;
      // Asked for when the consumer asks, not before.
      expect(log.reads).toBe(pieces);
    }
    expect(kept.size).toBe(pieces);

    const aheadLog = { reads: 0, cancelled: false, released: false };
    const buffers = new Set<ArrayBufferLike>();
    const copies: Uint8Array[] = [];
    for await (const p of readBody(atLeastStream(data, aheadLog), { ahead: true })) {
      // The next piece is being read while this one is handled, into the other buffer.
      expect(aheadLog.reads).toBe(copies.length + 2);
      buffers.add(p.buffer);
      copies.push(p.slice());
    }
    expect(buffers.size).toBe(2);
    expect(Buffer.concat(copies).equals(Buffer.from(data))).toBe(true);
    expect(aheadLog.released).toBe(true);
  });

  it('cancels the source when the reader stops early (a refused push)', async () => {
    const log = { reads: 0, cancelled: false, released: false };
    for await (const _ of readBody(atLeastStream(new Uint8Array(500_000), log))) break;
    expect(log.cancelled).toBe(true);
  });

  it('falls back to plain reads for streams without it', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2]));
        c.enqueue(new Uint8Array([3]));
        c.close();
      },
    });
    const got: number[] = [];
    for await (const p of readBody(stream)) got.push(...p);
    expect(got).toEqual([1, 2, 3]);
  });
});
