import { describe, expect, it } from 'vitest';
import { concatBytes } from './bytes';
import {
  delimPkt,
  encodePkt,
  encodePktLines,
  encodeSideband,
  flushPkt,
  PktLineReader,
  pktText,
  responseEndPkt,
  SIDEBAND_PAYLOAD,
} from './pktline';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return concatBytes(parts);
}

describe('pkt-line encoding', () => {
  it('writes the length including the header, and the special packets', () => {
    expect(dec.decode(encodePkt('want abc\n'))).toBe('000dwant abc\n');
    expect(dec.decode(encodePkt(''))).toBe('0004');
    expect(dec.decode(concatBytes([flushPkt(), delimPkt(), responseEndPkt()]))).toBe('000000010002');
    expect(() => encodePkt(new Uint8Array(65517))).toThrow(
      expect.objectContaining({ code: 'PKTLINE_INVALID' }),
    );
    expect(encodePkt(new Uint8Array(65516)).length).toBe(65520);
    // Every hex digit position and value, and a length counted in UTF-8 bytes.
    for (const n of [0, 9, 10, 15, 255, 256, 4091, 4092, 43690, 65516]) {
      const pkt = encodePkt(new Uint8Array(n));
      expect(dec.decode(pkt.subarray(0, 4))).toBe((n + 4).toString(16).padStart(4, '0'));
    }
    expect(dec.decode(encodePkt('é\n'))).toBe('0007é\n');
  });

  it('encodes many lines at once exactly as one packet each', () => {
    const lines = ['a\n', '', 'refs/heads/é-ü\n', 'x'.repeat(300), `${'0'.repeat(40)} refs/tags/v1\0caps\n`];
    expect(encodePktLines(lines)).toEqual(concatBytes(lines.map((l) => encodePkt(l))));
    expect(encodePktLines([])).toEqual(new Uint8Array(0));
    expect(() => encodePktLines(['y'.repeat(65517)])).toThrow(
      expect.objectContaining({ code: 'PKTLINE_INVALID' }),
    );
  });

  it('splits side-band payloads at the band limit', () => {
    const data = new Uint8Array(70000).map((_, i) => i & 0xff);
    const packets = encodeSideband(1, data);
    expect(packets.map((p) => p.length)).toEqual([65520, 70000 - 65515 + 5]);
    expect(dec.decode(packets[0].subarray(0, 5))).toBe('fff0\x01');
    const small = encodeSideband(2, new Uint8Array(2000), SIDEBAND_PAYLOAD);
    expect(small.map((p) => p.length)).toEqual([1000, 1000, 15]);
    expect(small.every((p) => p[4] === 2)).toBe(true);
    expect(dec.decode(encodeSideband(3, 'boom\n')[0])).toBe('000a\x03boom\n');
    // The payload as given, each packet's band byte then its part, and never past a packet's size.
    expect(Buffer.concat(packets.map((p) => p.subarray(5))).equals(Buffer.from(data))).toBe(true);
    expect(() => encodeSideband(1, data, 65516)).toThrow(/too long/);
  });
});

describe('PktLineReader', () => {
  const stream = concatBytes([
    encodePkt('command=fetch\n'),
    delimPkt(),
    encodePkt('want 1\n'),
    encodePkt(new Uint8Array([0, 1, 2, 0xff])),
    flushPkt(),
    responseEndPkt(),
    enc.encode('PACKrest-of-the-bytes'),
  ]);

  for (const size of [1, 2, 3, 5, 7, 1000]) {
    it(`reads packets across ${size}-byte chunks, then the raw rest`, async () => {
      const r = new PktLineReader(chunked(stream, size));
      const p1 = await r.read();
      expect(p1.type === 'data' && pktText(p1.data)).toBe('command=fetch');
      expect((await r.read()).type).toBe('delim');
      const p3 = await r.read();
      expect(p3.type === 'data' && dec.decode(p3.data)).toBe('want 1\n');
      const p4 = await r.read();
      expect(p4.type === 'data' && [...p4.data]).toEqual([0, 1, 2, 0xff]);
      expect((await r.read()).type).toBe('flush');
      expect((await r.read()).type).toBe('response-end');
      expect(dec.decode(await collect(r.rest()))).toBe('PACKrest-of-the-bytes');
    });
  }

  it('reports end of stream and errors on garbage or truncation', async () => {
    const empty = new PktLineReader(chunked(new Uint8Array(0), 1));
    expect((await empty.read()).type).toBe('eof');
    await expect(new PktLineReader(chunked(enc.encode('zz12'), 4)).read()).rejects.toMatchObject({
      code: 'PKTLINE_INVALID',
    });
    await expect(new PktLineReader(chunked(enc.encode('0010abc'), 2)).read()).rejects.toMatchObject({
      code: 'PKTLINE_INVALID',
    });
    await expect(new PktLineReader(chunked(enc.encode('0003'), 2)).read()).rejects.toMatchObject({
      code: 'PKTLINE_INVALID',
    });
    await expect(new PktLineReader(chunked(enc.encode('00'), 2)).read()).rejects.toMatchObject({
      code: 'PKTLINE_INVALID',
    });
  });
});
