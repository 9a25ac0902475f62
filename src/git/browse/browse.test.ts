import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, removeDir } from '../../../test/helpers/git';
import {
  commitFiles,
  gitDated,
  type LoadedRepo,
  loadRepo,
  newWorkdir,
} from '../../../test/unit/browse-fixture';
import { blame } from './blame';
import { BrowseError } from './errors';
import { diffFiles } from './file-diff';
import { COMMIT_COUNT_LIMIT, history } from './history';
import { lastCommits } from './last-commits';
import { lineDiff } from './line-diff';
import { mergeBase } from './merge-base';
import { readCommit } from './objects';
import { resolveRefPath } from './resolve-ref';
import { pairSimilarRenames } from './similar-renames';
import { diffTrees } from './tree-diff';
import { countCommits } from './walk-order';

let repo: LoadedRepo;
const c: Record<string, string> = {};
const lines = (n: number, tag = ''): string =>
  `${Array.from({ length: n }, (_, i) => `line ${i + 1}${tag}`).join('\n')}\n`;

beforeAll(async () => {
  const dir = newWorkdir();
  c.c1 = commitFiles(dir, 'first', {
    'README.md': '# Hello\n',
    'src/a.txt': lines(10),
    'src/b.txt': 'b\n',
    'bin.dat': new Uint8Array([1, 0, 2, 0, 3]),
  });
  c.c2 = commitFiles(dir, 'edit a line 5', {
    'src/a.txt': lines(10).replace('line 5\n', 'line five\n'),
    'docs/guide.md': 'guide\n',
  });
  c.c3 = commitFiles(dir, 'move b', { 'src/b.txt': null, 'lib/b.txt': 'b\n' });
  git(dir, ['checkout', '-q', '-b', 'feature/x']);
  c.c4 = commitFiles(dir, 'feature work', { 'README.md': '# Hello\n\nMore.\n', 'new.txt': 'new\n' });
  git(dir, ['checkout', '-q', 'main']);
  c.c5 = commitFiles(dir, 'edit a line 9', {
    'src/a.txt': lines(10).replace('line 5\n', 'line five\n').replace('line 9\n', 'line nine\n'),
  });
  // Moved and edited at once: found by similarity, not by blob id.
  c.c5b = commitFiles(dir, 'move and edit', {
    'src/a.txt': null,
    'src/alpha.txt': `${lines(10).replace('line 5\n', 'line five\n').replace('line 9\n', 'line nine\n')}line 11\n`,
  });
  c.c6 = gitDated(dir, '1700009999 +0000', ['merge', '-q', '--no-ff', '-m', 'merge feature', 'feature/x']);
  gitDated(dir, '1700009999 +0000', ['tag', '-a', '-m', 'release', 'v1.0', c.c3]);
  git(dir, ['tag', 'feature', c.c2]);
  repo = await loadRepo(dir);
});

afterAll(() => removeDir(repo.dir));

describe('ref resolution', () => {
  it('prefers the longest branch or tag name and leaves the rest as the path', async () => {
    const refs = await repo.refs.list();
    const r = await resolveRefPath(repo.odb, refs, 'feature/x/src/a.txt');
    expect(r).toMatchObject({ name: 'feature/x', kind: 'branch', commit: c.c4, path: 'src/a.txt' });
    const t = await resolveRefPath(repo.odb, refs, 'feature/src');
    expect(t).toMatchObject({ name: 'feature', kind: 'tag', commit: c.c2, path: 'src' });
    const tag = await resolveRefPath(repo.odb, refs, 'v1.0');
    expect(tag).toMatchObject({ kind: 'tag', commit: c.c3, path: '' });
  });

  it('accepts full and abbreviated commit ids and refuses unknown names', async () => {
    const refs = await repo.refs.list();
    expect((await resolveRefPath(repo.odb, refs, `${c.c1}/src`)).commit).toBe(c.c1);
    expect(await resolveRefPath(repo.odb, refs, `${c.c2.slice(0, 7)}/docs`)).toMatchObject({
      commit: c.c2,
      kind: 'commit',
      path: 'docs',
    });
    await expect(resolveRefPath(repo.odb, refs, 'nope/x')).rejects.toBeInstanceOf(BrowseError);
  });
});

describe('history', () => {
  it('lists commits like git log, paginated', async () => {
    const expected = git(repo.dir, ['log', '--format=%H', 'main']).trim().split('\n');
    const p1 = await history(repo.odb, c.c6, '', 1, 3);
    const p2 = await history(repo.odb, c.c6, '', 2, 3);
    expect([...p1.commits, ...p2.commits].map((x) => x.oid)).toEqual(expected.slice(0, 6));
    expect(p1.hasMore).toBe(true);
  });

  it('counts the whole history as git rev-list --count, only when asked or seen to its end', async () => {
    const all = Number(git(repo.dir, ['rev-list', '--count', 'main']).trim());
    expect(all).toBeGreaterThan(3);
    expect((await history(repo.odb, c.c6, '', 1, 3, true)).total).toBe(all);
    expect((await history(repo.odb, c.c6, '', 1, 3)).total).toBeNull();
    // The last page saw the end: its total needs no count.
    expect((await history(repo.odb, c.c6, '', 1, 50)).total).toBe(all);
    expect((await history(repo.odb, c.c6, '', 99, 3, true)).total).toBe(all);
    // A path's first page that is not its last: unknown, never a second walk.
    expect((await history(repo.odb, c.c6, 'src', 1, 1, true)).total).toBeNull();
    expect(COMMIT_COUNT_LIMIT).toBe(100_000);
  });

  it('stops counting past its bound (null), and counts merges once', async () => {
    const all = Number(git(repo.dir, ['rev-list', '--count', 'main']).trim());
    expect(await countCommits(repo.odb, c.c6, all)).toBe(all);
    expect(await countCommits(repo.odb, c.c6, all - 1)).toBeNull();
  });

  it('limits to a path like git log -- path', async () => {
    for (const path of ['src/a.txt', 'README.md', 'lib', 'src']) {
      const expected = git(repo.dir, ['log', '--format=%H', 'main', '--', path]).trim().split('\n');
      const got = await history(repo.odb, c.c6, path, 1, 50);
      expect(
        got.commits.map((x) => x.oid),
        path,
      ).toEqual(expected);
    }
  });
});

describe('last commits of a directory', () => {
  it('matches git log -1 for each entry', async () => {
    for (const dirPath of ['', 'src']) {
      const names = git(repo.dir, ['ls-tree', '--name-only', `main:${dirPath}`])
        .trim()
        .split('\n');
      const got = await lastCommits(repo.odb, c.c6, dirPath, names);
      for (const n of names) {
        const p = dirPath ? `${dirPath}/${n}` : n;
        const want = git(repo.dir, ['log', '-1', '--format=%H', 'main', '--', p]).trim();
        expect(got.byName.get(n)?.oid, p).toBe(want);
      }
    }
  });

  it('says unknown beyond its cap', async () => {
    const got = await lastCommits(repo.odb, c.c6, '', ['bin.dat'], 2);
    expect(got.byName.has('bin.dat')).toBe(false);
    expect(got.capped).toBe(true);
  });
});

describe('diffs', () => {
  it('finds exact renames and binary files', async () => {
    const t2 = (await readCommit(repo.odb, c.c2)).tree;
    const t3 = (await readCommit(repo.odb, c.c3)).tree;
    const { changes } = await diffTrees(repo.odb, t2, t3);
    expect(changes).toEqual([
      expect.objectContaining({ status: 'renamed', oldPath: 'src/b.txt', newPath: 'lib/b.txt' }),
    ]);
    const t1 = (await readCommit(repo.odb, c.c1)).tree;
    const root = await diffFiles(repo.odb, (await diffTrees(repo.odb, null, t1)).changes);
    expect(root.map((f) => [f.newPath, f.status, f.binary])).toEqual([
      ['README.md', 'added', false],
      ['bin.dat', 'added', true],
      ['src/a.txt', 'added', false],
      ['src/b.txt', 'added', false],
    ]);
  });

  it('counts lines like git diff --numstat', async () => {
    const t1 = (await readCommit(repo.odb, c.c1)).tree;
    const t5 = (await readCommit(repo.odb, c.c5)).tree;
    const files = await diffFiles(repo.odb, (await diffTrees(repo.odb, t1, t5)).changes);
    const numstat = git(repo.dir, ['diff', '--numstat', '--no-renames', c.c1, c.c5]).trim().split('\n');
    const want = new Map(numstat.map((l) => l.split('\t')).map(([a, d, p]) => [p, [a, d].map(Number)]));
    for (const f of files) {
      if (f.status === 'renamed') continue;
      expect([f.additions, f.deletions], f.newPath ?? '').toEqual(
        want.get((f.newPath ?? f.oldPath) as string),
      );
    }
  });

  it('builds hunks with line numbers and truncates over budget', () => {
    const d = lineDiff(lines(20), lines(20).replace('line 10\n', 'ten\n'), 100);
    expect(d?.hunks).toHaveLength(1);
    expect(d?.hunks[0].lines.filter((l) => l.kind !== 'context')).toEqual([
      { kind: 'del', text: 'line 10', oldNo: 10, newNo: null },
      { kind: 'add', text: 'ten', oldNo: null, newNo: 10 },
    ]);
    const small = lineDiff('', lines(50), 10);
    expect(small?.truncated).toBe(true);
    expect(small?.additions).toBe(50);
  });
});

describe('similar renames', () => {
  it('pairs an edited move like git diff -M', async () => {
    const before = (await readCommit(repo.odb, c.c5)).tree;
    const after = (await readCommit(repo.odb, c.c5b)).tree;
    const { changes } = await diffTrees(repo.odb, before, after);
    const paired = await pairSimilarRenames(repo.odb, changes);
    expect(paired).toEqual([
      expect.objectContaining({ status: 'renamed', oldPath: 'src/a.txt', newPath: 'src/alpha.txt' }),
    ]);
    expect(git(repo.dir, ['diff', '-M', '--name-status', c.c5, c.c5b]).trim()).toMatch(
      /^R\d+\tsrc\/a.txt\tsrc\/alpha.txt$/,
    );
    const [file] = await diffFiles(repo.odb, paired);
    expect([file.additions, file.deletions]).toEqual([1, 0]);
  });

  it('blame follows the edited move like git blame', async () => {
    const got = await blame(repo.odb, c.c6, 'src/alpha.txt');
    const porcelain = git(repo.dir, ['blame', '--porcelain', 'main', '--', 'src/alpha.txt']);
    const want: string[] = [];
    for (const l of porcelain.split('\n')) {
      const m = /^([0-9a-f]{40}) \d+ (\d+)/.exec(l);
      if (m) want[Number(m[2]) - 1] = m[1];
    }
    const mine: string[] = [];
    for (const r of got.ranges) for (let i = 0; i < r.count; i++) mine[r.start - 1 + i] = r.commit;
    expect(mine).toEqual(want);
    expect(mine[10]).toBe(c.c5b);
    expect(mine[0]).toBe(c.c1);
  });
});

describe('blame', () => {
  it('attributes every line like git blame', async () => {
    const got = await blame(repo.odb, c.c5, 'src/a.txt');
    const porcelain = git(repo.dir, ['blame', '--porcelain', c.c5, '--', 'src/a.txt']);
    const want: string[] = [];
    for (const l of porcelain.split('\n')) {
      const m = /^([0-9a-f]{40}) \d+ (\d+)/.exec(l);
      if (m) want[Number(m[2]) - 1] = m[1];
    }
    const mine: string[] = [];
    for (const r of got.ranges) for (let i = 0; i < r.count; i++) mine[r.start - 1 + i] = r.commit;
    expect(mine).toEqual(want);
    expect(got.lines[4]).toBe('line five');
  });

  it('stops at its bound and marks the boundary', async () => {
    const got = await blame(repo.odb, c.c5, 'src/a.txt', { maxSteps: 1, maxDiffs: 1, maxBytes: 1 << 20 });
    expect(got.ranges.some((r) => r.boundary)).toBe(true);
  });
});

describe('merge base', () => {
  it('finds the fork point', async () => {
    expect(await mergeBase(repo.odb, c.c5, c.c4)).toBe(git(repo.dir, ['merge-base', c.c5, c.c4]).trim());
  });
});
