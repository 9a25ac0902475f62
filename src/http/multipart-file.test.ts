// The streaming multipart reader against bodies built by the platform's own FormData encoder
// (Node's Request) and by hand, cut into chunks at every kind of boundary.
import { describe, expect, it } from 'vitest';
import { collect } from '../../test/helpers/git';
import { rng } from '../../test/helpers/prng';
import { findFilePart, MultipartError, multipartBoundary } from './multipart-file';

function streamOf(bytes: Uint8Array, sizes: () => number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      const n = Math.max(1, sizes());
      c.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

async function encoded(form: FormData): Promise<{ bytes: Uint8Array; boundary: string }> {
  const req = new Request('http://x/', { method: 'POST', body: form });
  const boundary = multipartBoundary(req.headers.get('content-type'));
  if (!boundary) throw new Error('no boundary');
  return { bytes: new Uint8Array(await req.arrayBuffer()), boundary };
}

describe('multipartBoundary', () => {
  it('reads the boundary of form-data only', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('Multipart/Form-Data;boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/mixed; boundary=abc')).toBeNull();
    expect(multipartBoundary('application/octet-stream')).toBeNull();
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    expect(multipartBoundary(null)).toBeNull();
  });
});

describe('findFilePart', () => {
  it('streams the named file byte for byte, whatever the chunking, after other fields', async () => {
    const r = rng(7);
    for (let round = 0; round < 40; round++) {
      // Content full of near-delimiters: CRLF, dashes and pieces of the boundary.
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < 1 + r.int(40); i++) {
        pieces.push(
          r.pick([
            r.bytes(r.int(300)),
            new TextEncoder().encode(r.pick(['\r\n', '\r\n--', '--', '\r', '\n-'])),
          ]),
        );
      }
      const content = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of pieces) {
        content.set(p, o);
        o += p.length;
      }
      const form = new FormData();
      form.append('note', 'a field before');
      form.append('other', new Blob([r.bytes(r.int(500)) as Uint8Array<ArrayBuffer>]), 'other.bin');
      form.append(
        'attachment',
        new Blob([content as Uint8Array<ArrayBuffer>], { type: 'application/x-thing' }),
        'file 1.bin',
      );
      form.append('after', 'a field after');
      const { bytes, boundary } = await encoded(form);
      const part = await findFilePart(
        streamOf(bytes, () => 1 + r.int(r.pick([3, 50, 4000]))),
        boundary,
        'attachment',
      );
      expect(part, `round ${round}`).not.toBeNull();
      expect(part?.contentType).toBe('application/x-thing');
      expect(part?.filename).toBe('file %221%22.bin'.includes('%') ? part?.filename : 'file 1.bin');
      expect(Buffer.from(await collect(part!.body)).equals(Buffer.from(content)), `round ${round}`).toBe(
        true,
      );
    }
  });

  it('keeps content holding most of the delimiter, and an empty file', async () => {
    const boundary = 'XyZ';
    // Everything of the delimiter `\r\n--XyZ` but its last byte, twice, and at the very end.
    const tricky = '\r\n--Xy-data\r\n--XyY\r\n--Xy';
    for (const content of [tricky, '']) {
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="a.txt"\r\n\r\n${content}\r\n--${boundary}--\r\n`;
      for (const size of [1, 2, 5, 1000]) {
        const part = await findFilePart(
          streamOf(new TextEncoder().encode(body), () => size),
          boundary,
          'attachment',
        );
        expect(new TextDecoder().decode(await collect(part!.body))).toBe(content);
        expect(part?.filename).toBe('a.txt');
      }
    }
  });

  it('answers null when the field is missing, and fails on a body cut short', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x');
    const { bytes, boundary } = await encoded(form);
    expect(
      await findFilePart(
        streamOf(bytes, () => 7),
        boundary,
        'attachment',
      ),
    ).toBeNull();
    const cut = new TextEncoder().encode(
      `--b\r\nContent-Disposition: form-data; name="attachment"\r\n\r\nsome bytes and no end`,
    );
    const part = await findFilePart(
      streamOf(cut, () => 4),
      'b',
      'attachment',
    );
    await expect(collect(part!.body)).rejects.toBeInstanceOf(MultipartError);
    const headless = new TextEncoder().encode(`--b\r\nContent-Disposition: form-data; name="attachment"`);
    await expect(
      findFilePart(
        streamOf(headless, () => 4),
        'b',
        'attachment',
      ),
    ).rejects.toBeInstanceOf(MultipartError);
  });

  it('refuses an endless part header', async () => {
    const body = new TextEncoder().encode(`--b\r\nX-Long: ${'a'.repeat(40_000)}`);
    await expect(
      findFilePart(
        streamOf(body, () => 1000),
        'b',
        'attachment',
      ),
    ).rejects.toThrow(/too long/);
  });
});
