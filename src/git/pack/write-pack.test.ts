import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunked,
  collect,
  git,
  gitBytes,
  gitTry,
  makeRepo,
  makeTempDir,
  removeDir,
} from '../../../test/helpers/git';
import { packAcceptedByGit, storeOfRepo } from '../../../test/helpers/packs';
import { GitError } from '../errors';
import { IdList } from '../id-list';
import { MemoryPackStore } from '../memory/pack-store';
import { ObjectDatabase } from '../odb';
import type { GitObject, Oid, PackEntry } from '../store';
import { decodeEntryHeader } from './entry-header';
import { indexPack } from './index-pack';
import { writePackFromObjects } from './write-objects';
import { writePack } from './write-pack';

let repo: string;
let tmp: string;
let store: MemoryPackStore;
let odb: ObjectDatabase;
let all: Oid[];

const revList = (...args: string[]) =>
  git(repo, ['rev-list', '--objects', ...args])
    .trim()
    .split('\n')
    .map((l) => l.slice(0, 40));

beforeAll(async () => {
  repo = makeRepo(300);
  tmp = makeTempDir();
  ({ store } = await storeOfRepo(repo, ['--depth=50']));
  odb = new ObjectDatabase(store);
  all = revList('--all');
});
afterAll(() => {
  removeDir(repo);
  removeDir(tmp);
});

/** Check a pack with C git (inside the fixture repo so links resolve); returns verify-pack's oids. */
const gitAccepts = (pack: Uint8Array): Set<Oid> => packAcceptedByGit(repo, tmp, pack);

/** Count entry kinds of a pack by indexing it with the engine. */
async function kinds(pack: Uint8Array, base = new MemoryPackStore()) {
  const w = base.newPack();
  const entries: PackEntry[] = [];
  const add = w.addEntries.bind(w);
  w.addEntries = async (e) => {
    entries.push(...e);
    await add(e);
  };
  const result = await indexPack(chunked(pack, 30_000), w, base);
  const count = { whole: 0, ofs: 0, ref: 0 };
  for (const e of entries) {
    const t = decodeEntryHeader(await w.read(e.offset, Math.min(16, e.end - e.offset)))?.type;
    if (t === 6) count.ofs++;
    else if (t === 7) count.ref++;
    else count.whole++;
  }
  return { count, result };
}

describe('writePack', () => {
  it('reuses stored bytes as ofs-deltas; C git accepts the pack', async () => {
    const pack = await collect(writePack(all, odb, { ofsDelta: true }));
    expect(gitAccepts(pack)).toEqual(new Set(all));
    const { count } = await kinds(pack);
    expect(count.ofs).toBeGreaterThan(100);
    expect(count.ref).toBe(0);
    expect(count.whole + count.ofs).toBe(all.length);
  });

  it('writes ref-deltas when the client lacks ofs-delta', async () => {
    const progress: number[] = [];
    const pack = await collect(
      writePack(all, odb, { ofsDelta: false, onProgress: (p) => progress.push(p.done) }),
    );
    expect(gitAccepts(pack)).toEqual(new Set(all));
    const { count } = await kinds(pack);
    expect(count.ofs).toBe(0);
    expect(count.ref).toBeGreaterThan(100);
    expect(progress.at(-1)).toBe(all.length);
  });

  it('inflates deltas whose base is neither sent nor had by the client (self-contained subset)', async () => {
    const subset = revList('main', '^main~40');
    const inSubset = new Set(subset);
    const entries = await odb.entries(subset);
    const outside = [...entries.values()].filter((e) => e.baseOid !== null && !inSubset.has(e.baseOid));
    expect(outside.length).toBeGreaterThan(0);
    const pack = await collect(writePack(subset, odb, { ofsDelta: true }));
    expect(gitAccepts(pack)).toEqual(inSubset);
  });

  it('sends a thin pack when clientHas says the base is there', async () => {
    const have = new Set(revList('main~40'));
    const subset = revList('main', '^main~40');
    const pack = await collect(writePack(subset, odb, { ofsDelta: true, clientHas: (oid) => have.has(oid) }));
    // Without the bases, plain index-pack must refuse it: it is really thin.
    const file = join(tmp, 'thin.pack');
    writeFileSync(file, pack);
    expect(gitTry(tmp, ['index-pack', '-o', join(tmp, 'thin.idx'), file]).code).not.toBe(0);
    // With the bases stored, the engine resolves it.
    const baseStore = new MemoryPackStore();
    const bw = baseStore.newPack();
    await indexPack(
      chunked(gitBytes(repo, ['pack-objects', '--revs', '--stdout', '-q'], 'main~40\n'), 65_536),
      bw,
      baseStore,
    );
    baseStore.publish(bw.packId);
    const { count, result } = await kinds(pack, baseStore);
    expect(new Set(result.oids)).toEqual(new Set(subset));
    expect(count.ref).toBeGreaterThan(0);
  });

  it('writes the same pack from byte ids (an IdList) as from hex ids, duplicates dropped', async () => {
    const fromHex = await collect(writePack(all, odb, { ofsDelta: true }));
    const list = new IdList();
    // Walk order reversed and every id twice: the writer sorts and drops the repeats.
    for (const oid of [...all].reverse()) list.push(oid);
    for (const oid of all) list.push(oid);
    const fromBytes = await collect(writePack(list, odb, { ofsDelta: true }));
    expect(fromBytes).toEqual(fromHex);
    expect(gitAccepts(fromBytes)).toEqual(new Set(all));
    const { count } = await kinds(fromBytes);
    expect(count.whole + count.ofs).toBe(all.length);
    expect(count.ofs).toBeGreaterThan(100);
  });

  it('empties an id list it may consume, and writes the same pack', async () => {
    const expected = await collect(writePack(all, odb, { ofsDelta: true }));
    const kept = new IdList();
    const consumed = new IdList();
    for (const oid of [...all].reverse()) {
      kept.push(oid);
      consumed.push(oid);
    }
    expect(await collect(writePack(kept, odb, { ofsDelta: true }))).toEqual(expected);
    expect(kept.length).toBe(all.length);
    expect(await collect(writePack(consumed, odb, { ofsDelta: true, consumeIds: true }))).toEqual(expected);
    expect(consumed.length).toBe(0);
  });

  it('rejects unknown objects', async () => {
    await expect(collect(writePack(['a'.repeat(40)], odb, { ofsDelta: true }))).rejects.toMatchObject({
      code: 'OBJECT_NOT_FOUND',
    });
    // Positive control: the same call with a known id writes.
    await expect(collect(writePack([all[0], all[0]], odb, { ofsDelta: true }))).resolves.toBeDefined();
    const list = new IdList();
    list.push(all[0]);
    list.push('a'.repeat(40));
    await expect(collect(writePack(list, odb, { ofsDelta: true }))).rejects.toMatchObject({
      code: 'OBJECT_NOT_FOUND',
    });
  });
});

describe('writePackFromObjects', () => {
  const versions = (): GitObject[] => {
    const objs: GitObject[] = [];
    let text = 'line\n'.repeat(50);
    for (let i = 0; i < 30; i++) {
      text = `${text.replace('line\n', `line ${i} changed\n`)}appended ${i}\n`;
      objs.push({ type: 'blob', data: new TextEncoder().encode(text) });
    }
    return objs;
  };

  it('writes new objects with ofs-deltas that C git accepts', async () => {
    const objs = versions();
    const pack = await collect(writePackFromObjects(objs, objs.length));
    const oids = gitAccepts(pack);
    expect(oids.size).toBe(objs.length);
    const { count } = await kinds(pack);
    expect(count.ofs).toBeGreaterThan(20);
    const plain = await collect(writePackFromObjects(objs, objs.length, { deltas: false }));
    expect(gitAccepts(plain)).toEqual(oids);
    expect(pack.length).toBeLessThan(plain.length);
  });

  it('fails when the announced count is wrong', async () => {
    const objs = versions();
    await expect(collect(writePackFromObjects(objs, objs.length + 1))).rejects.toBeInstanceOf(GitError);
    await expect(collect(writePackFromObjects(objs, objs.length - 1))).rejects.toBeInstanceOf(GitError);
  });
});
