// runMerge and mergeability on the in-memory stores: a merge stores its objects and moves the
// base branch in one ref update; a conflict, a moved branch or a missing one changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioRepo } from '../../../test/helpers/merge-repo';
import { MemoryCachedPackStore } from '../memory/cached-pack';
import { parseCommit } from '../object/commit';
import {
  type MergeCheck,
  type MergeCheckCache,
  type MergeRequest,
  mergeability,
  runMerge,
} from './merge-refs';

const repos: ScenarioRepo[] = [];
afterAll(() => {
  for (const r of repos) r.remove();
});

const person = { name: 'Merger', email: 'm@example.com', time: 1_800_000_000 };

function scenario(conflict: boolean): ScenarioRepo {
  const repo = new ScenarioRepo();
  repos.push(repo);
  repo.commit('base', { 'a.txt': 'one\ntwo\nthree\nfour\nfive\n' });
  repo.checkout('feature', true);
  repo.commit('feature', { 'a.txt': 'one\ntwo\nthree\nfour\nFIVE\n', 'f.txt': 'f\n' });
  repo.checkout('main');
  repo.commit('main', {
    'a.txt': conflict ? 'one\ntwo\nthree\nfour\nfive!\n' : 'ONE\ntwo\nthree\nfour\nfive\n',
  });
  return repo;
}

const request = (style: MergeRequest['style']): MergeRequest => ({
  style,
  base: 'main',
  head: 'feature',
  message: 'Merge feature',
  author: person,
  committer: person,
});

describe('runMerge', () => {
  it('stores a merge commit and moves the base branch to it', async () => {
    const repo = scenario(false);
    const { odb, refs, packs } = await repo.load();
    const before = packs.objectCount;
    const status = await mergeability(odb, refs, 'main', 'feature');
    expect(status).toMatchObject({
      status: 'mergeable',
      baseSha: repo.rev('main'),
      headSha: repo.rev('feature'),
    });
    const r = await runMerge({ ...request('merge'), expectedHead: repo.rev('feature') }, odb, refs, packs);
    expect(r).toMatchObject({ kind: 'merged', oldBase: repo.rev('main'), head: repo.rev('feature') });
    if (r.kind !== 'merged') return;
    const main = (await refs.list(['refs/heads/main']))[0].oid;
    expect(main).toBe(r.newBase);
    const commit = parseCommit((await odb.readRequired(main)).data);
    expect(commit.parents).toEqual([repo.rev('main'), repo.rev('feature')]);
    // The merged tree and blob were stored with the commit; git agrees on the tree.
    // Merged blob, root tree and commit (f.txt is the feature's own blob).
    expect(packs.objectCount).toBe(before + 3);
    const expected = repo.gitMerge('merge', 'main', 'feature');
    expect(expected.ok && expected.tree).toBe(commit.tree);
    expect(await mergeability(odb, refs, 'main', 'feature')).toMatchObject({ status: 'up_to_date' });
  });

  it('writes nothing on a conflict, and reports the paths', async () => {
    const repo = scenario(true);
    const { odb, refs, packs } = await repo.load();
    const before = packs.objectCount;
    expect(await mergeability(odb, refs, 'main', 'feature')).toMatchObject({
      status: 'conflict',
      conflicts: ['a.txt'],
    });
    for (const style of ['merge', 'squash', 'rebase'] as const) {
      expect(await runMerge(request(style), odb, refs, packs)).toEqual({
        kind: 'conflict',
        paths: ['a.txt'],
      });
    }
    expect(await runMerge(request('fast-forward-only'), odb, refs, packs)).toEqual({
      kind: 'not_fast_forward',
    });
    expect(packs.objectCount).toBe(before);
    expect((await refs.list(['refs/heads/main']))[0].oid).toBe(repo.rev('main'));
  });

  it('refuses a head that moved, and a missing branch', async () => {
    const repo = scenario(false);
    const { odb, refs, packs } = await repo.load();
    const stale = await runMerge({ ...request('squash'), expectedHead: repo.rev('main') }, odb, refs, packs);
    expect(stale.kind).toBe('stale');
    expect(await runMerge({ ...request('merge'), head: 'nope' }, odb, refs, packs)).toEqual({
      kind: 'missing_branch',
      branch: 'nope',
    });
    expect(await mergeability(odb, refs, 'main', 'nope')).toMatchObject({ status: 'missing', headSha: null });
    expect((await refs.list(['refs/heads/main']))[0].oid).toBe(repo.rev('main'));
  });

  it('rebases and squashes onto the base with trees equal to git', async () => {
    for (const style of ['squash', 'rebase'] as const) {
      const repo = scenario(false);
      const { odb, refs, packs } = await repo.load();
      const expected = repo.gitMerge(style, 'main', 'feature');
      const r = await runMerge(request(style), odb, refs, packs);
      expect(r.kind).toBe('merged');
      const main = (await refs.list(['refs/heads/main']))[0].oid;
      const c = parseCommit((await odb.readRequired(main)).data);
      expect(expected.ok && c.tree === expected.tree).toBe(true);
      expect(c.parents).toEqual([repo.rev('main')]);
    }
  });

  it.each([
    ['merge', (_feature: string, merged: string) => [merged]],
    ['squash', (feature: string, merged: string) => [feature, merged]],
  ] as const)("a %s's pack becomes a layer of the cached pack", async (style, tips) => {
    const repo = scenario(false);
    const { odb, refs, packs } = await repo.load();
    const cached = new MemoryCachedPackStore(packs);
    const first = (await refs.list()).map((r) => r.oid);
    const firstPack = (await packs.lookup(first[0]))?.packId ?? -1;
    await cached.extend([], firstPack, first);
    const before = packs.objectCount;
    const r = await runMerge(request(style), odb, refs, packs, cached);
    if (r.kind !== 'merged') throw new Error(r.kind);
    const layers = await cached.get();
    expect(layers).toHaveLength(2);
    expect(layers[1].objectCount).toBe(packs.objectCount);
    expect(packs.objectCount).toBeGreaterThan(before);
    // The tips the merge points to leave: they are reachable from the new one.
    expect(new Set(layers[1].tips)).toEqual(new Set(tips(repo.rev('feature'), r.newBase)));
  });
});

describe('mergeability checks', () => {
  /** A cache in memory that counts the checks it is given. */
  function countingCache(): MergeCheckCache & { puts: number } {
    const kept = new Map<string, MergeCheck>();
    return {
      puts: 0,
      get: (b, h) => kept.get(`${b} ${h}`) ?? null,
      put(b, h, check) {
        this.puts++;
        kept.set(`${b} ${h}`, check);
      },
    };
  }

  it('checks a commit pair once and answers it from the cache after', async () => {
    const repo = scenario(true);
    const cache = countingCache();
    const first = await repo.load();
    const a = await mergeability(first.odb, first.refs, 'main', 'feature', cache);
    expect(a).toMatchObject({ status: 'conflict', conflicts: ['a.txt'], reason: null });
    expect(await mergeability(first.odb, first.refs, 'main', 'feature', cache)).toEqual(a);
    expect(cache.puts).toBe(1);
    // A new head commit is a new pair: checked again (the positive control).
    repo.checkout('feature');
    repo.commit('fix', { 'a.txt': 'one\ntwo\nthree\nfour\nfive!\n' });
    const second = await repo.load();
    expect(await mergeability(second.odb, second.refs, 'main', 'feature', cache)).toMatchObject({
      status: 'mergeable',
    });
    expect(cache.puts).toBe(2);
  });

  function bothChange(file: (side: 'base' | 'main' | 'feature') => string): ScenarioRepo {
    const repo = new ScenarioRepo();
    repos.push(repo);
    repo.commit('base', { 'big.txt': file('base') });
    repo.checkout('feature', true);
    repo.commit('feature', { 'big.txt': file('feature') });
    repo.checkout('main');
    repo.commit('main', { 'big.txt': file('main') });
    return repo;
  }

  it('says unknown, and why, past the size a diff shows; merging itself still merges', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `line ${i} of a large generated file\n`);
    // 1.4 MB; the sides change lines far apart, so it merges cleanly.
    const repo = bothChange((side) =>
      side === 'base'
        ? lines.join('')
        : side === 'main'
          ? `top\n${lines.join('')}`
          : `${lines.join('')}end\n`,
    );
    const { odb, refs, packs } = await repo.load();
    const check = await mergeability(odb, refs, 'main', 'feature', countingCache());
    expect(check.status).toBe('unknown');
    expect(check.reason).toContain("'big.txt' changed on both sides is larger than 524288 bytes");
    expect((await runMerge(request('merge'), odb, refs, packs)).kind).toBe('merged');
  });

  it('says unknown past the edits a check may diff', async () => {
    // Every other line changed on one side (5,000 edits), a line added on top on the other.
    const base = Array.from({ length: 5_000 }, (_, i) => `${i}\n`);
    const repo = bothChange((side) =>
      side === 'base'
        ? base.join('')
        : side === 'main'
          ? base.map((l, i) => (i % 2 === 1 ? `changed ${l}` : l)).join('')
          : `head\n${base.join('')}`,
    );
    const { odb, refs, packs } = await repo.load();
    const check = await mergeability(odb, refs, 'main', 'feature', countingCache());
    expect(check).toMatchObject({ status: 'unknown', reason: 'a file changed in more than 4000 lines' });
    expect((await runMerge(request('merge'), odb, refs, packs)).kind).toBe('merged');
  });
});
