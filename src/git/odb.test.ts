import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, git, gitBytes, makeRepo, removeDir, sameBytes } from '../../test/helpers/git';
import { storeOfRepo } from '../../test/helpers/packs';
import { MemoryPackStore } from './memory/pack-store';
import { ObjectDatabase } from './odb';
import { indexPack } from './pack/index-pack';
import { inflateExact } from './pack/zlib';
import type { ObjectType, Oid } from './store';

/** Every object of the repository as `git cat-file --batch` prints it. */
function catAll(repo: string, oids: readonly Oid[]): Map<Oid, { type: ObjectType; data: Uint8Array }> {
  const out = gitBytes(repo, ['cat-file', '--batch'], `${oids.join('\n')}\n`);
  const map = new Map<Oid, { type: ObjectType; data: Uint8Array }>();
  const dec = new TextDecoder();
  let p = 0;
  while (p < out.length) {
    const nl = out.indexOf(10, p);
    const [oid, type, size] = dec.decode(out.subarray(p, nl)).split(' ');
    const start = nl + 1;
    map.set(oid, { type: type as ObjectType, data: out.subarray(start, start + Number(size)) });
    p = start + Number(size) + 1;
  }
  return map;
}

let repo: string;
let oids: Oid[];
let expected: Map<Oid, { type: ObjectType; data: Uint8Array }>;

beforeAll(() => {
  repo = makeRepo(300);
  oids = git(repo, ['rev-list', '--objects', '--all'])
    .trim()
    .split('\n')
    .map((l) => l.slice(0, 40));
  expected = catAll(repo, oids);
});
afterAll(() => removeDir(repo));

const storeWith = (packArgs: string[]) => storeOfRepo(repo, packArgs, 10_000);

describe('ObjectDatabase', () => {
  it('reads every object of a deep-delta pack identically to git cat-file (tiny cache)', async () => {
    const { store } = await storeWith(['--depth=50', '--window=50', '--no-reuse-delta']);
    let inflates = 0;
    const odb = new ObjectDatabase(store, {
      cacheBytes: 16 * 1024,
      inflate: (z, n) => {
        inflates++;
        return inflateExact(z, n);
      },
    });
    let deltas = 0;
    for (const oid of oids) {
      const want = expected.get(oid);
      const got = await odb.read(oid);
      expect(got?.type).toBe(want?.type);
      expect(got && want && sameBytes(got.data, want.data)).toBe(true);
      const e = await odb.entry(oid);
      if (e?.baseOid) deltas++;
      expect(await odb.info(oid)).toEqual({ type: want?.type, size: want?.data.length });
    }
    expect(deltas).toBeGreaterThan(100);
    expect(inflates).toBeGreaterThan(oids.length);
    expect(await odb.read('0'.repeat(40))).toBeNull();
    expect(await odb.has(oids[0])).toBe(true);
    expect(await odb.has('1'.repeat(40))).toBe(false);
  });

  it('readRaw returns the stored zlib bytes of an entry', async () => {
    const { store } = await storeWith([]);
    const odb = new ObjectDatabase(store);
    for (const oid of oids.slice(0, 50)) {
      const e = await odb.entry(oid);
      if (!e || e.baseOid !== null) continue;
      const raw = await odb.readRaw(e);
      expect(sameBytes(inflateExact(raw, e.size), expected.get(oid)?.data ?? new Uint8Array())).toBe(true);
    }
  });

  it('reads quarantined objects through the pending writer only', async () => {
    const store = new MemoryPackStore();
    const pack = gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q'], '');
    const w = store.newPack();
    await indexPack(chunked(pack, 65_536), w, store);
    expect(await new ObjectDatabase(store).read(oids[0])).toBeNull();
    const pendingOdb = new ObjectDatabase(store, { pending: w });
    for (const oid of oids.slice(0, 200)) {
      const got = await pendingOdb.read(oid);
      expect(got && sameBytes(got.data, expected.get(oid)?.data ?? new Uint8Array())).toBe(true);
    }
    const many = await pendingOdb.entries(oids.slice(0, 10));
    expect(many.size).toBe(10);
  });
});
