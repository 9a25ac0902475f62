import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, git, gitBytes, makeRepo, makeTempDir, removeDir } from '../../../test/helpers/git';
import { obj, packOf, treeEntry } from '../../../test/helpers/packs';
import { concatBytes } from '../bytes';
import { GitError } from '../errors';
import { MemoryPackStore } from '../memory/pack-store';
import { hexToBytes } from '../oid';
import { createSha1, hashObject } from '../sha1';
import type { PackEntry } from '../store';
import { encodeEntryHeader, encodeOfsDelta } from './entry-header';
import { indexPack } from './index-pack';
import { packHeader } from './write-pack';
import { deflateBytes } from './zlib';

interface GitRow {
  type: string;
  offset: number;
  depth: number;
  base: string | null;
  crc: number;
}

/** What C git says about a pack: verify-pack -v for type/offset/depth/base, show-index for crc. */
function describePack(dir: string, pack: Uint8Array): Map<string, GitRow> {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.pack`);
  writeFileSync(file, pack);
  git(dir, ['index-pack', file]);
  const idx = file.replace(/\.pack$/, '.idx');
  const rows = new Map<string, GitRow>();
  for (const line of git(dir, ['verify-pack', '-v', idx]).split('\n')) {
    const m = /^([0-9a-f]{40}) (\w+)\s+(\d+) (\d+) (\d+)(?: (\d+) ([0-9a-f]{40}))?$/.exec(line);
    if (!m) continue;
    rows.set(m[1], {
      type: m[2],
      offset: Number(m[5]),
      depth: m[6] ? Number(m[6]) : 0,
      base: m[7] ?? null,
      crc: -1,
    });
  }
  const crcs = git(dir, ['show-index'], new Uint8Array(readFileSync(idx)));
  for (const line of crcs.split('\n')) {
    const m = /^(\d+) ([0-9a-f]{40}) \(([0-9a-f]{8})\)$/.exec(line);
    if (m) (rows.get(m[2]) as GitRow).crc = Number.parseInt(m[3], 16);
  }
  return rows;
}

function sizes(repo: string, oids: readonly string[]): Map<string, { type: string; size: number }> {
  const out = git(repo, ['cat-file', '--batch-check'], `${oids.join('\n')}\n`);
  const map = new Map<string, { type: string; size: number }>();
  for (const line of out.trim().split('\n')) {
    const [oid, type, size] = line.split(' ');
    map.set(oid, { type, size: Number(size) });
  }
  return map;
}

async function indexAll(pack: Uint8Array, chunk: number, store = new MemoryPackStore()) {
  const writer = store.newPack();
  const entries: PackEntry[] = [];
  const origAdd = writer.addEntries.bind(writer);
  writer.addEntries = async (e) => {
    entries.push(...e);
    await origAdd(e);
  };
  const result = await indexPack(chunked(pack, chunk), writer, store);
  return { store, writer, entries, result };
}

let repo: string;
let tmp: string;

beforeAll(() => {
  repo = makeRepo(300);
  tmp = makeTempDir();
});
afterAll(() => {
  removeDir(repo);
  removeDir(tmp);
});

function expectMatchesGit(pack: Uint8Array, entries: PackEntry[]): void {
  const rows = describePack(tmp, pack);
  expect(entries.length).toBe(rows.size);
  const info = sizes(
    repo,
    entries.map((e) => e.oid),
  );
  for (const e of entries) {
    const row = rows.get(e.oid);
    expect(row, e.oid).toBeDefined();
    if (!row) continue;
    expect(e.offset).toBe(row.offset);
    expect(e.type).toBe(row.type);
    expect(e.crc32).toBe(row.crc);
    expect(e.depth).toBe(row.depth);
    expect(e.baseOid).toBe(row.base);
    expect(e.size).toBe(info.get(e.oid)?.size);
  }
}

describe('indexPack on packs made by C git', () => {
  it('indexes pack-objects --all with deltas, at odd chunk boundaries', async () => {
    const pack = gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q'], new Uint8Array());
    const expected = git(repo, ['rev-list', '--objects', '--all']).trim().split('\n').length;
    // 7-byte pieces split nearly every entry header, CRC and pack checksum across chunks.
    for (const piece of [7, 997]) {
      const { result, entries } = await indexAll(pack, piece);
      expect(result.objectCount).toBe(expected);
      expect(new Set(result.oids).size).toBe(expected);
      expect(entries.some((e) => e.depth > 0)).toBe(true);
      expectMatchesGit(pack, entries);
    }
  });

  it('indexes a deep-chain pack (--depth 50, 4 KiB chunks)', async () => {
    const pack = gitBytes(
      repo,
      ['pack-objects', '--all', '--revs', '--stdout', '-q', '--depth=50', '--window=50', '--no-reuse-delta'],
      new Uint8Array(),
    );
    const { entries } = await indexAll(pack, 4096);
    expect(Math.max(...entries.map((e) => e.depth))).toBeGreaterThan(10);
    expectMatchesGit(pack, entries);
  });

  it('indexes a ref-delta pack (no --delta-base-offset)', async () => {
    const pack = gitBytes(
      repo,
      ['pack-objects', '--all', '--revs', '--stdout', '-q', '--no-reuse-delta'],
      new Uint8Array(),
    );
    const { entries } = await indexAll(pack, 65536);
    expect(entries.filter((e) => e.baseOid !== null).length).toBeGreaterThan(50);
    expectMatchesGit(pack, entries);
  });

  it('indexes a thin pack against bases in the store, without appending them', async () => {
    const store = new MemoryPackStore();
    const basePack = gitBytes(repo, ['pack-objects', '--revs', '--stdout', '-q'], 'main~40\n');
    const b = store.newPack();
    await indexPack(chunked(basePack, 8192), b, store);
    store.publish(b.packId);
    const thin = gitBytes(repo, ['pack-objects', '--revs', '--thin', '--stdout', '-q'], 'main\n^main~40\n');
    const w = store.newPack();
    const entries: PackEntry[] = [];
    const add = w.addEntries.bind(w);
    w.addEntries = async (e) => {
      entries.push(...e);
      await add(e);
    };
    const result = await indexPack(chunked(thin, 1500), w, store);
    const want = git(repo, ['rev-list', '--objects', 'main', '^main~40'])
      .trim()
      .split('\n')
      .map((l) => l.slice(0, 40));
    expect(new Set(result.oids)).toEqual(new Set(want));
    const external = entries.filter((e) => e.baseOid !== null && !new Set(result.oids).has(e.baseOid));
    expect(external.length).toBeGreaterThan(0);
    expect(store.packSize(w.packId)).toBe(thin.length);
    const info = sizes(repo, [...result.oids]);
    for (const e of entries) expect(e.size).toBe(info.get(e.oid)?.size);
  });
});

describe('indexPack hands commits, trees and tags to onObject', () => {
  it('visits every non-blob object once, with its exact content', async () => {
    const pack = gitBytes(
      repo,
      ['pack-objects', '--all', '--revs', '--stdout', '-q', '--depth=50'],
      new Uint8Array(),
    );
    const store = new MemoryPackStore();
    const seen = new Map<string, string>();
    await indexPack(chunked(pack, 4096), store.newPack(), store, {
      onObject: (oid, type, data) => {
        expect(hashObject(type, data)).toBe(oid);
        expect(seen.has(oid)).toBe(false);
        seen.set(oid, type);
      },
    });
    const expected = git(repo, [
      'cat-file',
      '--batch-all-objects',
      '--batch-check=%(objectname) %(objecttype)',
    ])
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([, t]) => t !== 'blob');
    expect(seen.size).toBe(expected.length);
    for (const [oid, type] of expected) expect(seen.get(oid)).toBe(type);
  });
});

describe('indexPack around the size where whole objects stop being hashed in one call', () => {
  it('gives every object its id and the visitor its exact content, in one piece or many', async () => {
    const sizes = [0, 1, 65_535 - 20, 65_535, 65_536, 65_537, 200_000];
    const blobs = sizes.map((n, i) =>
      obj(
        'blob',
        new Uint8Array(n).map((_, k) => (k * 31 + i) & 0xff),
      ),
    );
    const big = new Uint8Array(65_600);
    for (let k = 0; k < big.length; k++) big[k] = 0x61 + (k % 26);
    // Trees and commits of either side of the limit reach the visitor whole.
    const names = Array.from({ length: 2200 }, (_, i) =>
      treeEntry('100644', `file-${i}`, blobs[i % blobs.length].oid),
    );
    const tree = obj('tree', Uint8Array.from(names.flatMap((e) => [...e])));
    const smallTree = obj('tree', treeEntry('100644', 'a', blobs[0].oid));
    const commit = obj(
      'commit',
      `tree ${tree.oid}\nauthor A <a@b> 0 +0000\ncommitter A <a@b> 0 +0000\n\n${'x'.repeat(70_000)}\n`,
    );
    const objects = [...blobs, obj('blob', big), tree, smallTree, commit];
    expect(tree.data.length).toBeGreaterThan(65_536);
    const pack = packOf(objects);
    for (const piece of [7, 65_536, pack.length]) {
      const store = new MemoryPackStore();
      const seen = new Map<string, Uint8Array>();
      const r = await indexPack(chunked(pack, piece), store.newPack(), store, {
        onObject: (oid, _type, data) => void seen.set(oid, data.slice()),
      });
      expect([...r.oids]).toEqual(objects.map((o) => o.oid));
      for (const o of [tree, smallTree, commit]) expect(seen.get(o.oid)).toEqual(o.data);
      expect(seen.size).toBe(3);
    }
  });
});

describe('indexPack inflating a small object straight into place', () => {
  const text = `${'x'.repeat(150)}the end\n`;
  const run = async (declared: number) => {
    const store = new MemoryPackStore();
    // One byte at a time: the output fills exactly while the stream's end is still to come.
    const pack = craftPack([blobEntry(text, declared), blobEntry('next')]);
    return indexPack(chunked(pack, 1), store.newPack(), store).catch((e: GitError) => e.code);
  };

  it('ends the object at its declared size, byte by byte, and refuses one size off either way', async () => {
    const r = await run(text.length);
    expect(typeof r === 'object' && [...r.oids]).toEqual([
      hashObject('blob', enc.encode(text)),
      hashObject('blob', enc.encode('next')),
    ]);
    expect(await run(text.length - 1)).toBe('PACK_SIZE_MISMATCH');
    expect(await run(text.length + 1)).toBe('PACK_SIZE_MISMATCH');
  });
});

describe('indexPack rejects bad packs with typed errors', () => {
  let pack: Uint8Array;
  beforeAll(() => {
    pack = gitBytes(repo, ['pack-objects', '--revs', '--stdout', '-q'], 'main~250\n');
  });
  const run = async (bytes: Uint8Array, store = new MemoryPackStore(), chunk = 333) => {
    try {
      await indexPack(chunked(bytes, chunk), store.newPack(), store);
    } catch (e) {
      expect(e).toBeInstanceOf(GitError);
      return (e as GitError).code;
    }
    return 'ok';
  };
  it('accepts the intact pack', async () => expect(await run(pack)).toBe('ok'));
  it('bad trailer', async () => {
    const p = pack.slice();
    p[p.length - 1] ^= 1;
    expect(await run(p)).toBe('PACK_BAD_CHECKSUM');
  });
  it('truncated pack', async () => {
    expect(await run(pack.subarray(0, pack.length - 30))).toMatch(/PACK_TRUNCATED/);
    expect(await run(pack.subarray(0, 7))).toBe('PACK_TRUNCATED');
  });
  it('wrong count', async () => {
    const more = pack.slice();
    more[11] += 1;
    expect(await run(more)).toMatch(/PACK_TRUNCATED|PACK_BAD_ENTRY|PACK_BAD_ZLIB/);
    const fewer = pack.slice();
    fewer[11] -= 1;
    expect(await run(fewer)).toMatch(/PACK_BAD_CHECKSUM|PACK_TRAILING_DATA/);
  });
  it('bad signature, version, trailing data', async () => {
    const sig = pack.slice();
    sig[0] = 0;
    expect(await run(sig)).toBe('PACK_BAD_SIGNATURE');
    const ver = pack.slice();
    ver[7] = 9;
    expect(await run(ver)).toBe('PACK_BAD_VERSION');
    const extra = new Uint8Array(pack.length + 3);
    extra.set(pack);
    // Trailing bytes are seen when they arrive with the trailer (nothing more is awaited).
    expect(await run(extra, new MemoryPackStore(), extra.length)).toBe('PACK_TRAILING_DATA');
  });
  it('missing thin base', async () => {
    const thin = gitBytes(repo, ['pack-objects', '--revs', '--thin', '--stdout', '-q'], 'main\n^main~3\n');
    expect(await run(thin)).toBe('PACK_MISSING_BASE');
  });
});

/** Build a pack by hand from raw entries, with a correct header and trailer. */
function craftPack(entries: Uint8Array[][]): Uint8Array {
  const parts = [packHeader(entries.length), ...entries.flat()];
  const body = concatBytes(parts);
  const sha = createSha1();
  sha.update(body);
  return concatBytes([body, sha.digest()]);
}

const enc = new TextEncoder();
const blobEntry = (text: string, declared = enc.encode(text).length) => [
  encodeEntryHeader(3, declared),
  deflateBytes(enc.encode(text)),
];

describe('indexPack on crafted packs', () => {
  const run = async (pack: Uint8Array, opts = {}) => {
    const store = new MemoryPackStore();
    try {
      return await indexPack(chunked(pack, 5), store.newPack(), store, opts);
    } catch (e) {
      expect(e).toBeInstanceOf(GitError);
      return (e as GitError).code;
    }
  };

  it('indexes an empty pack and a hand-made ofs-delta', async () => {
    const empty = await run(craftPack([]));
    expect(empty).toMatchObject({ objectCount: 0 });
    expect(typeof empty === 'object' && [...empty.oids]).toEqual([]);
    const base = blobEntry('hello hello hello hello world\n');
    const baseLen = base[0].length + base[1].length;
    // delta: source 30, target 11, copy 6 bytes from 0, insert "world"
    const delta = Uint8Array.of(30, 11, 0x90, 6, 5, ...enc.encode('world'));
    const pack = craftPack([
      base,
      [encodeEntryHeader(6, delta.length), encodeOfsDelta(baseLen), deflateBytes(delta)],
    ]);
    const r = await run(pack);
    expect(typeof r === 'object' && [...r.oids][1]).toBe(hashObject('blob', enc.encode('hello world')));
  });

  it('returns after the trailer without waiting for the input to end (duplex transports)', async () => {
    const pack = craftPack([blobEntry('one'), blobEntry('two')]);
    async function* openEnded(): AsyncGenerator<Uint8Array> {
      yield pack;
      await new Promise(() => undefined); // the client waits for our report before closing
    }
    const store = new MemoryPackStore();
    const r = await indexPack(openEnded(), store.newPack(), store);
    expect(r.objectCount).toBe(2);
  });

  it('rejects size mismatches, bad deltas, bad ofs offsets, missing bases and oversized objects', async () => {
    expect(await run(craftPack([blobEntry('abc', 4)]))).toBe('PACK_SIZE_MISMATCH');
    expect(await run(craftPack([blobEntry('abcdef', 2)]))).toBe('PACK_SIZE_MISMATCH');
    const base = blobEntry('0123456789');
    const baseLen = base[0].length + base[1].length;
    const oob = Uint8Array.of(10, 8, 0x91, 5, 8);
    expect(
      await run(
        craftPack([base, [encodeEntryHeader(6, oob.length), encodeOfsDelta(baseLen), deflateBytes(oob)]]),
      ),
    ).toBe('DELTA_OUT_OF_BOUNDS');
    const ok = Uint8Array.of(10, 4, 0x90, 4);
    expect(
      await run(
        craftPack([base, [encodeEntryHeader(6, ok.length), encodeOfsDelta(baseLen + 1), deflateBytes(ok)]]),
      ),
    ).toBe('PACK_BAD_ENTRY');
    // Two ref-deltas based on each other's (unknowable) ids: a cycle is reported as a missing base.
    const a = [encodeEntryHeader(7, ok.length), hexToBytes('1'.repeat(40)), deflateBytes(ok)];
    const b = [encodeEntryHeader(7, ok.length), hexToBytes('2'.repeat(40)), deflateBytes(ok)];
    expect(await run(craftPack([a, b]))).toBe('PACK_MISSING_BASE');
    expect(await run(craftPack([blobEntry('x'.repeat(100))]), { maxObjectSize: 50 })).toBe(
      'OBJECT_TOO_LARGE',
    );
    const bad = craftPack([[encodeEntryHeader(3, 5), Uint8Array.of(0x78, 0x9c, 0xff, 0xff, 0xff, 0xff)]]);
    expect(await run(bad)).toMatch(/PACK_BAD_ZLIB|PACK_TRUNCATED/);
  });
});
