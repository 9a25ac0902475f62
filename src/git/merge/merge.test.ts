// The merge engine against C git: the same branches merged by `git merge --no-ff`,
// `git merge --squash`, `git rebase` and `git merge --ff-only` must give the same trees (and for
// merge and fast-forward the same history shape), and conflicts the same paths.
import { afterAll, describe, expect, it } from 'vitest';
import { type GitOutcome, ScenarioRepo } from '../../../test/helpers/merge-repo';
import { parseCommit } from '../object/commit';
import type { Ident } from '../object/ident';
import type { ObjectDatabase } from '../odb';
import { hashObject } from '../sha1';
import type { GitObject, Oid } from '../store';
import { type MergeOutcome, type MergeStyle, mergeBranches } from './merge';

const who: Ident = {
  name: 'Merger',
  email: 'merger@example.com',
  timestamp: 1_800_000_000,
  timezone: '+0000',
};
const repos: ScenarioRepo[] = [];
afterAll(() => {
  for (const r of repos) r.remove();
});

function lines(n: number, tag = 'line'): string {
  return Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');
}

function edit(text: string, lineNo: number, replacement: string): string {
  const ls = text.split('\n');
  ls[lineNo - 1] = replacement;
  return ls.join('\n');
}

/** Reads a commit among the merge's new objects or in the database. */
async function commitOf(odb: ObjectDatabase, oid: Oid, made: Map<Oid, GitObject>) {
  const obj = made.get(oid) ?? (await odb.read(oid));
  if (!obj) throw new Error(`no commit ${oid}`);
  return parseCommit(obj.data);
}

/** Run the engine and describe its outcome like the git reference (tree, parents, commit count). */
async function engine(
  repo: ScenarioRepo,
  style: MergeStyle,
  base: string,
  head: string,
): Promise<{ outcome: MergeOutcome; summary: GitOutcome | { ok: 'other'; kind: string } }> {
  const { odb } = await repo.load();
  const outcome = await mergeBranches(odb, {
    style,
    base: repo.rev(base),
    head: repo.rev(head),
    message: 'merge',
    author: who,
    committer: who,
  });
  if (outcome.kind === 'conflict')
    return { outcome, summary: { ok: false, paths: [...outcome.paths].sort() } };
  if (outcome.kind !== 'merged') return { outcome, summary: { ok: 'other', kind: outcome.kind } };
  const made = new Map(outcome.objects.map((o) => [hashObject(o.type, o.data), o]));
  const tip = await commitOf(odb, outcome.commit, made);
  // Count commits between the base and the new tip along first parents (histories here are simple).
  let count = 0;
  const baseOid = repo.rev(base);
  let cur = outcome.commit;
  while (cur !== baseOid && count < 100) {
    count++;
    const c = await commitOf(odb, cur, made);
    if (c.parents.length === 0) break;
    cur = c.parents[0];
  }
  return {
    outcome,
    summary: { ok: true, tree: tip.tree, parents: [...tip.parents], count, tip: outcome.commit },
  };
}

/** Compare with git: same tree, and for merge the same parents; same conflicting paths. */
async function expectSameAsGit(repo: ScenarioRepo, style: MergeStyle, base = 'main', head = 'feature') {
  const expected = repo.gitMerge(style, base, head);
  const { summary } = await engine(repo, style, base, head);
  if (!expected.ok) {
    expect(summary).toEqual({ ok: false, paths: expected.paths });
    return;
  }
  expect(summary.ok).toBe(true);
  if (summary.ok !== true) return;
  expect(summary.tree).toBe(expected.tree);
  if (style === 'merge' || style === 'fast-forward-only') expect(summary.parents).toEqual(expected.parents);
  if (style === 'fast-forward-only') expect(summary.tip).toBe(expected.tip);
  if (style === 'squash' || style === 'rebase') expect(summary.count).toBe(expected.count);
}

function divergedRepo(): ScenarioRepo {
  const repo = new ScenarioRepo();
  repos.push(repo);
  const a = lines(20);
  repo.commit('base', {
    'a.txt': a,
    'b.txt': 'bee\n',
    'dir/c.txt': lines(5, 'c'),
    'dir/keep.txt': 'keep\n',
    'run.sh': '#!/bin/sh\necho hi\n',
    'noeol.txt': 'one\ntwo',
  });
  repo.checkout('feature', true);
  repo.commit('feature 1', {
    'a.txt': edit(a, 17, 'feature line 17'),
    'dir/c.txt': edit(lines(5, 'c'), 1, 'c feature'),
  });
  repo.commit('feature 2', { 'b.txt': null, 'dir/sub/new.txt': 'new\n', 'noeol.txt': 'one\ntwo\nthree' });
  repo.makeExecutable('run.sh');
  repo.commit('feature 3: executable', {});
  repo.checkout('main');
  repo.commit('main 1', { 'a.txt': edit(a, 3, 'main line 3'), 'main.txt': 'main only\n' });
  repo.commit('main 2', { 'dir/keep.txt': 'kept and changed\n' });
  return repo;
}

describe('merge engine vs C git', () => {
  it('merges diverged branches like git merge --no-ff, --squash and rebase', async () => {
    const repo = divergedRepo();
    for (const style of ['merge', 'squash', 'rebase'] as const) await expectSameAsGit(repo, style);
    // Not a fast-forward: both refuse.
    expect(repo.gitMerge('fast-forward-only', 'main', 'feature').ok).toBe(false);
    expect((await engine(repo, 'fast-forward-only', 'main', 'feature')).outcome.kind).toBe(
      'not_fast_forward',
    );
  });

  it('fast-forwards a branch ahead of its base, and --no-ff still makes a merge commit', async () => {
    const repo = new ScenarioRepo();
    repos.push(repo);
    repo.commit('base', { 'a.txt': lines(3) });
    repo.checkout('feature', true);
    repo.commit('f1', { 'a.txt': lines(4) });
    repo.commit('f2', { 'x/y.txt': 'y\n' });
    repo.checkout('main');
    for (const style of ['fast-forward-only', 'merge', 'squash', 'rebase'] as const)
      await expectSameAsGit(repo, style);
    const ff = await engine(repo, 'fast-forward-only', 'main', 'feature');
    expect(ff.outcome).toEqual({ kind: 'merged', commit: repo.rev('feature'), objects: [] });
    // The other way round there is nothing to merge.
    expect((await engine(repo, 'merge', 'feature', 'main')).outcome.kind).toBe('up_to_date');
  });

  it('reports the paths git reports as conflicting, and creates nothing', async () => {
    const repo = new ScenarioRepo();
    repos.push(repo);
    const a = lines(10);
    const bin = new Uint8Array([0, 1, 2, 3, 0, 5]);
    repo.commit('base', {
      'a.txt': a,
      'gone.txt': 'x\n',
      'bin.dat': bin,
      'fine.txt': 'fine\n',
      'd/f.txt': 'f\n',
    });
    repo.checkout('feature', true);
    repo.commit('feature', {
      'a.txt': edit(a, 5, 'feature 5'),
      'gone.txt': 'changed\n',
      'bin.dat': new Uint8Array([0, 1, 2, 3, 0, 6]),
      'added.txt': 'feature version\n',
      'd/f.txt': 'f changed\n',
    });
    repo.checkout('main');
    repo.commit('main', {
      'a.txt': edit(a, 5, 'main 5'),
      'gone.txt': null,
      'bin.dat': new Uint8Array([0, 1, 2, 3, 0, 7]),
      'added.txt': 'main version\n',
      'fine.txt': 'fine on main\n',
      'd/f.txt': null,
    });
    for (const style of ['merge', 'squash', 'rebase'] as const) await expectSameAsGit(repo, style);
    const { outcome } = await engine(repo, 'merge', 'main', 'feature');
    expect(outcome).toMatchObject({ kind: 'conflict' });
    expect([...(outcome as { paths: string[] }).paths].sort()).toEqual([
      'a.txt',
      'added.txt',
      'bin.dat',
      'd/f.txt',
      'gone.txt',
    ]);
  });

  it('treats touching changes as a conflict and identical changes as clean, as git does', async () => {
    const repo = new ScenarioRepo();
    repos.push(repo);
    const a = lines(10);
    repo.commit('base', { 'adjacent.txt': a, 'same.txt': a, 'far.txt': a });
    repo.checkout('feature', true);
    repo.commit('feature', {
      'adjacent.txt': edit(a, 4, 'feature 4'),
      'same.txt': edit(a, 6, 'both 6'),
      'far.txt': edit(a, 1, 'feature 1'),
    });
    repo.checkout('main');
    repo.commit('main', {
      'adjacent.txt': edit(a, 5, 'main 5'),
      'same.txt': edit(a, 6, 'both 6'),
      'far.txt': edit(a, 10, 'main 10'),
    });
    await expectSameAsGit(repo, 'merge');
    // Without the touching change the rest merges cleanly, as in git.
    repo.commit('main drops it', { 'adjacent.txt': a });
    for (const style of ['merge', 'squash', 'rebase'] as const) await expectSameAsGit(repo, style);
  });

  it('rebases like git when a commit is already on the base, and with directories deleted and replaced', async () => {
    const repo = new ScenarioRepo();
    repos.push(repo);
    repo.commit('base', { 'a.txt': lines(5), 'olddir/x.txt': 'x\n', 'olddir/y.txt': 'y\n', 'z.txt': 'z\n' });
    repo.checkout('feature', true);
    repo.commit('shared fix', { 'a.txt': edit(lines(5), 2, 'fixed 2') });
    repo.commit('remove dir', { 'olddir/x.txt': null, 'olddir/y.txt': null });
    repo.commit('more', { 'new/deep/file.txt': 'deep\n', 'z.txt': 'zz\n' });
    repo.checkout('main');
    repo.commit('same fix on main', { 'a.txt': edit(lines(5), 2, 'fixed 2') });
    repo.commit('main other', { 'other.txt': 'o\n' });
    for (const style of ['merge', 'squash', 'rebase'] as const) await expectSameAsGit(repo, style);
  });

  it('reports a directory deleted on one side and changed inside on the other', async () => {
    const repo = new ScenarioRepo();
    repos.push(repo);
    repo.commit('base', { 'dir/a.txt': 'a\n', 'dir/b.txt': 'b\n', 'top.txt': 't\n' });
    repo.checkout('feature', true);
    repo.commit('feature', { 'dir/a.txt': 'a changed\n' });
    repo.checkout('main');
    repo.commit('main', { 'dir/a.txt': null, 'dir/b.txt': null });
    for (const style of ['merge', 'squash', 'rebase'] as const) await expectSameAsGit(repo, style);
  });

  it('finds no merge base for unrelated histories', async () => {
    const repo = new ScenarioRepo();
    repos.push(repo);
    repo.commit('base', { 'a.txt': 'a\n' });
    repo.run(['checkout', '-q', '--orphan', 'feature']);
    repo.commit('other root', { 'a.txt': 'other\n' });
    repo.checkout('main');
    expect((await engine(repo, 'merge', 'main', 'feature')).outcome.kind).toBe('unrelated');
    expect((await engine(repo, 'rebase', 'main', 'feature')).outcome.kind).toBe('unrelated');
  });
});
