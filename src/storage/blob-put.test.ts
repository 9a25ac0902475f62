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
});
