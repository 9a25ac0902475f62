import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunked, collect, git, gitBytes, makeRepo, removeDir } from '../../test/helpers/git';
import { oidOf, packOf } from '../../test/helpers/packs';
import { streamBlob } from '../git/browse/blob-stream';
import { MemoryPackStore } from '../git/memory/pack-store';
import { ObjectDatabase } from '../git/odb';
import { indexPack } from '../git/pack/index-pack';
import { type Inflater, type InflaterFactory, StreamInflater } from '../git/pack/zlib';
import type { PackEntry } from '../git/store';
import { NativeInflater, nativeInflater } from './native-inflater';

const text = (n: number) => new TextEncoder().encode('100644 blob 0123456789abcdef\n'.repeat(n));

/** Streams back to back as in a pack, with the raw bytes each inflates to. */
function packLike(): { raws: Uint8Array[]; input: Uint8Array; ends: number[] } {
  const raws = [
    text(1),
    new Uint8Array(0),
    text(3000),
    new Uint8Array(randomBytes(70_000)),
    text(7),
    text(40),
  ];
  const parts = raws.map((r) => new Uint8Array(deflateSync(r)));
  const ends: number[] = [];
  let n = 0;
  for (const p of parts) {
    n += p.length;
    ends.push(n);
  }
  const input = new Uint8Array(n + 20);
  let at = 0;
  for (const p of parts) {
    input.set(p, at);
    at += p.length;
  }
  input.fill(0xab, n); // a trailer's worth of bytes after the last stream
  return { raws, input, ends };
}

/** Inflates the streams from pieces of `piece` bytes as the indexer does; each stream's output and end. */
function inflateAll(inflater: Inflater, input: Uint8Array, count: number, piece: number, into: boolean) {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < input.length; at += piece) pieces.push(input.slice(at, at + piece));
  let next = 0;
  let current = pieces[next++];
  let pos = 0;
  let offset = 0;
  const got: { data: string; end: number }[] = [];
  for (let i = 0; i < count; i++) {
    const out: Uint8Array[] = [];
    const target = new Uint8Array(100_000);
    if (into) inflater.startInto(target);
    else inflater.start((chunk) => out.push(chunk.slice()));
    while (!inflater.done) {
      if (pos === current.length) {
        offset += current.length;
        current = pieces[next++] ?? new Uint8Array(0);
        pos = 0;
        if (current.length === 0) throw new Error('input ended inside a stream');
      }
      pos += inflater.push(current, pos);
    }
    const data = into ? target.subarray(0, inflater.total) : Buffer.concat(out);
    got.push({ data: Buffer.from(data).toString('hex'), end: offset + pos });
  }
  return got;
}

describe('NativeInflater', () => {
  it('is what the factory gives in this runtime', () => {
    expect(nativeInflater()).toBeInstanceOf(NativeInflater);
  });

  it('finds where each stream ends and inflates it as the engine does, whatever the pieces', () => {
    const { raws, input, ends } = packLike();
    const want = raws.map((r, i) => ({ data: Buffer.from(r).toString('hex'), end: ends[i] }));
    const native = NativeInflater.open();
    expect(native).not.toBeNull();
    for (const piece of [5, 4096, 65_536, input.length])
      for (const into of [false, true]) {
        expect(inflateAll(native as Inflater, input, raws.length, piece, into)).toEqual(want);
        expect(inflateAll(new StreamInflater(), input, raws.length, piece, into)).toEqual(want);
      }
  });

  it('stops at a full target (a stream longer than its entry says) and refuses a corrupt stream, then goes on', () => {
    const native = NativeInflater.open() as NativeInflater;
    const raw = text(100);
    const z = new Uint8Array(deflateSync(raw));
    const short = new Uint8Array(raw.length - 10);
    native.startInto(short).push(z);
    expect([native.total, native.done]).toEqual([short.length, false]);

    const bad = z.slice();
    bad[0] ^= 1;
    expect(() => native.startInto(new Uint8Array(raw.length + 1)).push(bad)).toThrow(
      expect.objectContaining({ code: 'PACK_BAD_ZLIB' }),
    );
    const out = new Uint8Array(raw.length + 1);
    const used = native.startInto(out).push(new Uint8Array([...z, 1, 2]));
    expect([used, native.done, native.total]).toEqual([z.length, true, raw.length]);
    expect(Buffer.from(out.subarray(0, raw.length)).equals(Buffer.from(raw))).toBe(true);
  });

  it('indexes a pack made by C git as the engine inflater does, at odd piece boundaries', async () => {
    const repo = makeRepo(120);
    try {
      const pack = gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q'], new Uint8Array());
      const objects = git(repo, ['rev-list', '--objects', '--all']).trim().split('\n').length;
      const indexed = async (piece: number, createInflater?: InflaterFactory) => {
        const store = new MemoryPackStore();
        const writer = store.newPack();
        const entries: PackEntry[] = [];
        writer.addEntries = async (e) => {
          entries.push(...e);
        };
        const result = await indexPack(chunked(pack, piece), writer, store, { createInflater });
        expect(result.objectCount).toBe(objects);
        return JSON.stringify(entries.sort((a, b) => a.offset - b.offset));
      };
      for (const piece of [7, 997, 65_536])
        expect(await indexed(piece, nativeInflater)).toBe(await indexed(piece));
    } finally {
      removeDir(repo);
    }
  });

  it('streams blobs stored whole as the engine inflater does, and refuses one cut short', async () => {
    const blobs = [
      new Uint8Array(0),
      text(1),
      text(200_000), // ~5.8 MB of text: many inflater outputs from one piece of input
      new Uint8Array(randomBytes(300_000)), // stored blocks, 64 KiB pieces of input
    ];
    const store = new MemoryPackStore();
    const writer = store.newPack();
    const objects = blobs.map((data) => ({ type: 'blob' as const, data }));
    const result = await indexPack(chunked(packOf(objects), 65_536), writer, store);
    store.publish(writer.packId);
    const streamed = async (odb: ObjectDatabase, oid: string) => {
      const blob = await streamBlob(odb, oid, 'f', 1 << 20);
      if (blob === null) throw new Error(`${oid} missing`);
      return collect(blob.body);
    };
    let opened = 0;
    const counted: InflaterFactory = () => {
      opened++;
      return nativeInflater();
    };
    const native = new ObjectDatabase(store, { createInflater: counted });
    const engine = new ObjectDatabase(store);
    expect(result.objectCount).toBe(blobs.length);
    const oids = blobs.map((data) => oidOf('blob', data));
    for (const [i, oid] of oids.entries()) {
      const a = await streamed(native, oid);
      expect(a.length).toBe(blobs[i].length);
      expect(Buffer.from(a).equals(Buffer.from(blobs[i]))).toBe(true);
      expect(Buffer.from(await streamed(engine, oid)).equals(Buffer.from(a))).toBe(true);
    }
    // The platform's inflater did the streaming (each blob stored whole opens one).
    expect(opened).toBe(blobs.length);
    // The entry's last bytes missing (the index pointing short of them): an error, with either.
    const big = oids[2];
    const entry = await store.lookup(big);
    if (entry === null) throw new Error('indexed blob missing');
    const short: typeof store = Object.create(store);
    short.lookup = async (oid) => (oid === big ? { ...entry, end: entry.end - 3 } : store.lookup(oid));
    for (const createInflater of [nativeInflater, undefined])
      await expect(streamed(new ObjectDatabase(short, { createInflater }), big)).rejects.toThrow(
        /ends early/,
      );
  });
});
