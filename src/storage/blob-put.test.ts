// putStream against a bucket that records what it is given: one put for a short stream, equal
// parts for a long one, and nothing kept past the cap.
import { describe, expect, it } from 'vitest';
import { type BlobBucket, putStream } from './blob-put';

class FakeBucket {
  puts: { key: string; bytes: Uint8Array }[] = [];
  parts: number[][] = [];
  completed = 0;
  aborted = 0;

  asBucket(): BlobBucket {
    return {
      put: async (key: string, value: unknown) => {
        this.puts.push({ key, bytes: new Uint8Array(value as Uint8Array) });
        return null as unknown as R2Object;
      },
      createMultipartUpload: async (key: string) => {
        const sizes: number[] = [];
        this.parts.push(sizes);
        const upload = {
          key,
          uploadId: 'u',
          uploadPart: async (n: number, v: unknown) => {
            sizes.push((v as Uint8Array).byteLength);
            return { partNumber: n, etag: `e${n}` };
          },
          abort: async () => {
            this.aborted += 1;
          },
          complete: async () => {
            this.completed += 1;
            return null as unknown as R2Object;
          },
        };
        return upload as R2MultipartUpload;
      },
    } as BlobBucket;
  }
}

function streamOf(total: number, chunk: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= total) return c.close();
      const n = Math.min(chunk, total - sent);
      c.enqueue(new Uint8Array(n).fill(sent % 251));
      sent += n;
    },
  });
}

describe('putStream', () => {
  it('writes a stream shorter than a part with one put', async () => {
    const b = new FakeBucket();
    const r = await putStream(b.asBucket(), 'k', streamOf(90, 7), { maxBytes: 1000, partBytes: 100 });
    expect(r).toEqual({ kind: 'stored', size: 90 });
    expect(b.puts.map((p) => p.bytes.length)).toEqual([90]);
    expect(b.parts).toEqual([]);
  });

  it('writes a longer one as equal parts and a last short one', async () => {
    const b = new FakeBucket();
    const r = await putStream(b.asBucket(), 'k', streamOf(350, 33), { maxBytes: 1000, partBytes: 100 });
    expect(r).toEqual({ kind: 'stored', size: 350 });
    expect(b.parts).toEqual([[100, 100, 100, 50]]);
    expect(b.completed).toBe(1);
    expect(b.puts).toEqual([]);
  });

  it('keeps nothing past the cap (single put or multipart)', async () => {
    for (const total of [150, 1001]) {
      const b = new FakeBucket();
      const r = await putStream(b.asBucket(), 'k', streamOf(total, 40), {
        maxBytes: total - 1,
        partBytes: total > 1000 ? 100 : 1000,
      });
      expect(r).toEqual({ kind: 'too_large' });
      expect(b.puts).toEqual([]);
      expect(b.completed).toBe(0);
      expect(b.aborted).toBe(b.parts.length);
    }
  });

  it('aborts the upload when the stream fails', async () => {
    const b = new FakeBucket();
    let n = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        n += 1;
        if (n > 5) c.error(new Error('client went away'));
        else c.enqueue(new Uint8Array(60));
      },
    });
    await expect(putStream(b.asBucket(), 'k', failing, { maxBytes: 10_000, partBytes: 100 })).rejects.toThrow(
      'client went away',
    );
    expect(b.aborted).toBe(1);
    expect(b.completed).toBe(0);
  });

  it('keeps nothing that verify refuses, and sees every byte before it decides', async () => {
    for (const total of [90, 350]) {
      const b = new FakeBucket();
      let seen = 0;
      const r = await putStream(b.asBucket(), 'k', streamOf(total, 33), {
        maxBytes: 1000,
        partBytes: 100,
        onChunk: (c) => {
          seen += c.byteLength;
        },
        verify: (size) => (size === seen ? 'wrong hash' : 'not all seen'),
      });
      expect(r).toEqual({ kind: 'refused', reason: 'wrong hash' });
      expect(b.puts).toEqual([]);
      expect(b.completed).toBe(0);
      expect(b.aborted).toBe(b.parts.length);
    }
    // Its positive control: a verify that passes stores the bytes.
    const ok = new FakeBucket();
    const r = await putStream(ok.asBucket(), 'k', streamOf(350, 33), {
      maxBytes: 1000,
      partBytes: 100,
      verify: () => null,
    });
    expect(r).toEqual({ kind: 'stored', size: 350 });
    expect(ok.completed).toBe(1);
  });

  it('fills at most two part buffers for any number of parts, none written while it is being sent', async () => {
    const total = 1050;
    const source = Uint8Array.from({ length: total }, (_, i) => (i * 7) % 253);
    let at = 0;
    // Uploads waiting for the stream to be read up to a point (the next part filled meanwhile).
    let waiting: (() => void)[] = [];
    const readUpTo = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (at >= n ? resolve() : waiting.push(check));
        check();
      });
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= total) return c.close();
        c.enqueue(source.slice(at, at + 33));
        at += 33;
        const woken = waiting;
        waiting = [];
        for (const w of woken) w();
      },
    });
    const buffers = new Set<ArrayBufferLike>();
    const received: Uint8Array[] = [];
    const changedWhileSending: number[] = [];
    const bucket = {
      put: async () => null as unknown as R2Object,
      createMultipartUpload: async () =>
        ({
          uploadPart: async (n: number, v: unknown) => {
            const view = v as Uint8Array;
            buffers.add(view.buffer);
            const copy = view.slice();
            // The part is "on the wire" until the next one has been read: its bytes must stay as given.
            await readUpTo(Math.min((n + 1) * 100, total));
            if (!view.every((b, i) => b === copy[i])) changedWhileSending.push(n);
            received[n - 1] = copy;
            return { partNumber: n, etag: `e${n}` };
          },
          abort: async () => undefined,
          complete: async () => null as unknown as R2Object,
        }) as unknown as R2MultipartUpload,
    } as BlobBucket;
    const r = await putStream(bucket, 'k', stream, { maxBytes: 10_000, partBytes: 100 });
    expect(r).toEqual({ kind: 'stored', size: total });
    expect(received.map((p) => p.byteLength)).toEqual([...Array(10).fill(100), 50]);
    expect(Buffer.concat(received).equals(Buffer.from(source))).toBe(true);
    expect(changedWhileSending).toEqual([]);
    expect(buffers.size).toBe(2);
  });

  it('a part R2 refuses while the next is read fails the put and aborts the upload', async () => {
    let aborted = 0;
    const bucket = {
      put: async () => null as unknown as R2Object,
      createMultipartUpload: async () =>
        ({
          uploadPart: async (n: number) => {
            if (n === 2) throw new Error('R2 refused part 2');
            return { partNumber: n, etag: `e${n}` };
          },
          abort: async () => {
            aborted += 1;
          },
          complete: async () => null as unknown as R2Object,
        }) as unknown as R2MultipartUpload,
    } as BlobBucket;
    await expect(
      putStream(bucket, 'k', streamOf(650, 33), { maxBytes: 10_000, partBytes: 100 }),
    ).rejects.toThrow('R2 refused part 2');
    expect(aborted).toBe(1);
  });
});
