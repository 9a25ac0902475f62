import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, git, makeRepo, makeTempDir, removeDir } from '../../test/helpers/git';
import { packAcceptedByGit, storeOfRepo } from '../../test/helpers/packs';
import type { MemoryPackStore } from '../git/memory/pack-store';
import { ObjectDatabase } from '../git/odb';
import { writePack } from '../git/pack/write-pack';
import type { DeflateFn } from '../git/pack/zlib';
import type { Oid } from '../git/store';
import { nativeDeflate } from './native-deflate';

const text = (n: number) => new TextEncoder().encode('100644 blob 0123456789abcdef\n'.repeat(n));

describe('nativeDeflate', () => {
  it('compresses to a zlib stream of the same bytes, in a buffer of about its own size', () => {
    for (const data of [
      new Uint8Array(0),
      text(1),
      text(5000),
      new Uint8Array(randomBytes(300_000)),
      new Uint8Array(randomBytes(3_000_000)),
    ]) {
      const out = nativeDeflate(data, 1);
      expect(Buffer.from(inflateSync(out)).equals(Buffer.from(data))).toBe(true);
      // Not a view of a larger buffer that a small object would keep alive.
      expect(out.buffer.byteLength).toBeLessThanOrEqual(Math.max(2 * out.byteLength, 64));
    }
  });
});

describe('a pack sending stored deltas whole', () => {
  let repo: string;
  let tmp: string;
  let odb: ObjectDatabase;
  let store: MemoryPackStore;

  beforeAll(async () => {
    repo = makeRepo(120);
    tmp = makeTempDir();
    ({ store } = await storeOfRepo(repo, ['--depth=50']));
    odb = new ObjectDatabase(store);
  });
  afterAll(() => {
    removeDir(repo);
    removeDir(tmp);
  });

  it("deflates them with the database's deflate; C git accepts the pack", async () => {
    // The last 20 commits' objects: a shallow fetch's kind of subset, some deltas on bases left out.
    const subset = git(repo, ['rev-list', '--objects', 'main', '^main~20'])
      .trim()
      .split('\n')
      .map((l) => l.slice(0, 40) as Oid);
    const inSubset = new Set(subset);
    const entries = await odb.entries(subset);
    const outside = [...entries.values()].filter((e) => e.baseOid !== null && !inSubset.has(e.baseOid));
    expect(outside.length).toBeGreaterThan(0);

    let calls = 0;
    const counted: DeflateFn = (data, level) => {
      calls++;
      return nativeDeflate(data, level);
    };
    const native = new ObjectDatabase(store, { deflate: counted });
    const pack = await collect(writePack(subset, native, { ofsDelta: true }));
    expect(calls).toBe(outside.length);

    // C git accepts it (--strict), with exactly the subset's objects.
    expect(packAcceptedByGit(repo, tmp, pack)).toEqual(inSubset);
  });
});
