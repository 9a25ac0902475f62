// Every merge style on a pull request from a fork, checked with C git: the upstream's branch after
// the merge (parents, trees equal to what `git merge-tree` makes, the fork's commits replayed in
// order by a rebase), a strict fsck of a mirror clone, and `git fetch origin pull/{n}/head` after
// the merge. "rebase-merge" is a style this server does not make: 405, nothing moves.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { asToken, authUrl, call, createUser, type GitUser } from '../helpers/accounts';
import { forkOf, repoWithHistory } from '../helpers/forks';
import { git, gitAsync, gitTry, makeRepo, strictCloneArgs, TempDirs } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let forker: GitUser;
let source: string;

beforeAll(async () => {
  [owner, forker] = await Promise.all([createUser(base, 'fmerge-owner'), createUser(base, 'fmerge-forker')]);
  source = dirs.keep(makeRepo(10));
});
afterAll(() => dirs.removeAll());

type Style = 'merge' | 'rebase' | 'rebase-merge' | 'squash' | 'fast-forward-only';

interface Case {
  readonly style: Style;
  /** The upstream's main moves on (another file) before the merge, so the merge is a real one. */
  readonly upstreamMoves: boolean;
  readonly status: number;
}

const CASES: readonly Case[] = [
  { style: 'merge', upstreamMoves: true, status: 200 },
  { style: 'rebase', upstreamMoves: true, status: 200 },
  { style: 'squash', upstreamMoves: true, status: 200 },
  { style: 'fast-forward-only', upstreamMoves: false, status: 200 },
  { style: 'rebase-merge', upstreamMoves: true, status: 405 },
];

/** A work tree of the fixture's main: commits made here are pushed where the case needs them. */
function workTree(): { dir: string; commit(file: string, message: string): string } {
  const dir = join(dirs.make(), 'wt');
  git(source, ['clone', '-q', '-b', 'main', source, dir]);
  return {
    dir,
    commit(file, message) {
      writeFileSync(join(dir, file), `${message}\n`);
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', message]);
      return git(dir, ['rev-parse', 'HEAD']).trim();
    },
  };
}

const line = (dir: string, args: string[]) => git(dir, args).trim();

test.each(CASES)(
  'a pull request from a fork merged with $style',
  async ({ style, upstreamMoves, status }) => {
    const { name, url: upstreamUrl } = await repoWithHistory(base, owner, source, { prefix: `fm-${style}` });
    await forkOf(base, forker, owner.username, name);
    const forkUrl = authUrl(base, forker, forker.username, name);
    const wt = workTree();
    const forkBase = line(wt.dir, ['rev-parse', 'HEAD']);
    const forkCommits = [wt.commit('fork-one.txt', 'Fork one'), wt.commit('fork-two.txt', 'Fork two')];
    const forkTip = forkCommits[1];
    await gitAsync(wt.dir, ['push', '-q', forkUrl, 'HEAD:refs/heads/feature']);
    let baseTip = forkBase;
    if (upstreamMoves) {
      git(wt.dir, ['checkout', '-q', '-b', 'up', forkBase]);
      baseTip = wt.commit('upstream.txt', 'Upstream moves on');
      await gitAsync(wt.dir, ['push', '-q', upstreamUrl, 'HEAD:refs/heads/main']);
    }
    const pulls = `/api/v1/repos/${owner.username}/${name}/pulls`;
    const opened = await call<{ number: number }>(base, 'POST', pulls, {
      auth: asToken(forker.token),
      json: { head: `${forker.username}:feature`, base: 'main', title: `Fork work (${style})` },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const n = opened.body.number;
    const merged = await call<{ message?: string }>(base, 'POST', `${pulls}/${n}/merge`, {
      auth: asToken(owner.token),
      json: { Do: style },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(status);

    const clone = join(dirs.make(), 'upstream.git');
    await gitAsync(source, strictCloneArgs(upstreamUrl, clone));
    const fsck = gitTry(clone, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(fsck.code, fsck.stderr).toBe(0);
    expect(fsck.stderr).toBe('');
    // The fork's commits are here to be compared with (the pull request's head is in the clone).
    git(wt.dir, ['fetch', '-q', clone, 'main', `refs/pull/${n}/head:refs/remotes/pull-head`]);
    const main = line(clone, ['rev-parse', 'main']);
    const parents = (sha: string) =>
      line(clone, ['rev-list', '--parents', '-n', '1', sha]).split(' ').slice(1);
    const tree = (sha: string) => line(clone, ['rev-parse', `${sha}^{tree}`]);
    // What C git makes of the two sides.
    const mergedTree = line(wt.dir, ['merge-tree', '--write-tree', baseTip, forkTip]);
    switch (style) {
      case 'merge':
        expect(parents(main)).toEqual([baseTip, forkTip]);
        expect(tree(main)).toBe(mergedTree);
        break;
      case 'squash':
        expect(parents(main)).toEqual([baseTip]);
        expect(tree(main)).toBe(mergedTree);
        expect(line(clone, ['log', '-1', '--format=%s', main])).toContain(`Fork work (squash) (#${n})`);
        break;
      case 'rebase': {
        // The fork's two commits replayed on the moved base, in order, with their messages and authors.
        const replayed = line(clone, ['rev-list', '--reverse', `${baseTip}..${main}`]).split('\n');
        expect(replayed).toHaveLength(2);
        expect(parents(replayed[0])).toEqual([baseTip]);
        expect(parents(replayed[1])).toEqual([replayed[0]]);
        for (const [i, sha] of replayed.entries()) {
          expect(line(clone, ['log', '-1', '--format=%s|%an|%ae', sha])).toBe(
            line(wt.dir, ['log', '-1', '--format=%s|%an|%ae', forkCommits[i]]),
          );
        }
        expect(tree(main)).toBe(mergedTree);
        break;
      }
      case 'fast-forward-only':
        expect(main).toBe(forkTip);
        break;
      case 'rebase-merge':
        expect(main).toBe(baseTip);
        break;
    }
    // After the merge (or the refusal) the pull request's head is still fetchable as on GitHub.
    const fetchDir = join(dirs.make(), 'fetch');
    await gitAsync(source, ['clone', '-q', upstreamUrl, fetchDir]);
    await gitAsync(fetchDir, ['fetch', '-q', 'origin', `pull/${n}/head`]);
    expect(line(fetchDir, ['rev-parse', 'FETCH_HEAD'])).toBe(forkTip);
  },
);
