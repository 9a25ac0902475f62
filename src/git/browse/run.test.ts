// runBrowse against a generated history (merges, renames, tags, binaries) made by real git,
// compared with what git itself says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, git, makeRepo, removeDir } from '../../../test/helpers/git';
import { type LoadedRepo, loadRepo } from '../../../test/unit/browse-fixture';
import { commitsBetween } from './merge-base';
import type { BrowseResult } from './request';
import { runBrowse } from './run';

let repo: LoadedRepo;

beforeAll(async () => {
  repo = await loadRepo(makeRepo(300));
}, 120_000);

afterAll(() => removeDir(repo.dir));

/** The current name of a file (the generator renames files as history goes). */
function fileIn(prefix: string): string {
  const names = git(repo.dir, ['ls-tree', '-r', '--name-only', 'main']).trim().split('\n');
  const hit = names.find((n) => n.startsWith(prefix));
  if (!hit) throw new Error(`no file under ${prefix}`);
  return hit;
}

function as<K extends BrowseResult['kind']>(r: BrowseResult, kind: K): Extract<BrowseResult, { kind: K }> {
  if (r.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(r).slice(0, 300)}`);
  return r as Extract<BrowseResult, { kind: K }>;
}

describe('runBrowse on a generated history', () => {
  it('lists the commit an annotated tag names when the tag is what was pushed (a tag push)', async () => {
    const tag = git(repo.dir, ['for-each-ref', '--format=%(objectname) %(objecttype)', 'refs/tags/v*'])
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .find(([, type]) => type === 'tag')?.[0];
    if (!tag) throw new Error('the generated history has no annotated tag');
    const r = as(
      await runBrowse({ kind: 'pushed', base: null, head: tag, max: 1, countCap: 10 }, repo.odb, repo.refs),
      'pushed',
    );
    expect(r.commits.map((c) => c.oid)).toEqual([git(repo.dir, ['rev-parse', `${tag}^{commit}`]).trim()]);
  });

  it('lists what a push brought (webhooks) as git log base..head, with git diff-tree name-status', async () => {
    const base = git(repo.dir, ['rev-parse', 'main~40']).trim();
    const head = git(repo.dir, ['rev-parse', 'main']).trim();
    const r = as(
      await runBrowse({ kind: 'pushed', base, head, max: 20, countCap: 1000 }, repo.odb, repo.refs),
      'pushed',
    );
    const want = git(repo.dir, ['log', '--format=%H', `${base}..${head}`])
      .trim()
      .split('\n');
    expect(r.total).toBe(want.length);
    expect(r.commits.map((c) => c.oid)).toEqual(want.slice(0, 20));
    for (const c of r.commits) {
      const args = c.parents.length > 0 ? [c.parents[0], c.oid] : ['--root', c.oid];
      const lines = git(repo.dir, ['diff-tree', '--no-renames', '--name-status', '-r', ...args])
        .trim()
        .split('\n')
        .filter((l) => /^[ADMT]\t/.test(l));
      const paths = (status: string) =>
        lines
          .filter((l) => l[0] === status)
          .map((l) => l.slice(2))
          .sort();
      expect([...c.added].sort(), c.oid).toEqual(paths('A'));
      expect([...c.removed].sort(), c.oid).toEqual(paths('D'));
      expect([...c.modified].sort(), c.oid).toEqual([...paths('M'), ...paths('T')].sort());
    }
  });

  it('lists refs with the default branch', async () => {
    const r = as(await runBrowse({ kind: 'refs' }, repo.odb, repo.refs), 'refs');
    const branches = git(repo.dir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads'])
      .trim()
      .split('\n');
    expect(r.branches.map((b) => b.name).sort()).toEqual(branches.sort());
    expect(r.defaultBranch).toBe('main');
    expect(r.tags.length).toBeGreaterThan(0);
  });

  it('lists the root with last commits matching git log -1', async () => {
    const r = as(await runBrowse({ kind: 'tree', at: { refPath: 'main' } }, repo.odb, repo.refs), 'tree');
    for (const e of r.entries) {
      const want = git(repo.dir, ['log', '-1', '--format=%H', 'main', '--', e.path]).trim();
      expect(e.lastCommit?.oid, e.path).toBe(want);
    }
  });

  it('pages through the history of a path like git log', async () => {
    const want = git(repo.dir, ['log', '--format=%H', 'main', '--', 'src/main.c']).trim().split('\n');
    const got: string[] = [];
    for (let page = 1; page <= 100; page++) {
      const r = as(
        await runBrowse(
          { kind: 'log', at: { ref: 'main', path: 'src/main.c' }, page, limit: 50 },
          repo.odb,
          repo.refs,
        ),
        'log',
      );
      got.push(...r.commits.map((c) => c.oid));
      if (!r.hasMore) break;
    }
    expect(got).toEqual(want);
  });

  it('diffs a commit with counts like git show --numstat', async () => {
    const head = git(repo.dir, ['rev-parse', 'main~3']).trim();
    const r = as(await runBrowse({ kind: 'commit', sha: head.slice(0, 10) }, repo.odb, repo.refs), 'commit');
    const numstat = git(repo.dir, ['show', '--numstat', '--format=', '--no-renames', head])
      .trim()
      .split('\n')
      .filter(Boolean);
    const want = numstat
      .map((l) => l.split('\t'))
      .map(([a, d, p]) => [p, a === '-' ? null : Number(a), d === '-' ? null : Number(d)]);
    const got = r.files.map((f) => [
      f.newPath ?? f.oldPath,
      f.binary ? null : f.additions,
      f.binary ? null : f.deletions,
    ]);
    expect(got.sort()).toEqual(want.sort());
  });

  it("asks diffRoom for the size of the blobs a commit's diffs read, and lets it go once they are made", async () => {
    const head = git(repo.dir, ['rev-parse', 'main~3']).trim();
    const want = git(repo.dir, ['diff-tree', '-r', '--no-renames', '--raw', '--no-abbrev', `${head}~1`, head])
      .trim()
      .split('\n')
      .flatMap((l) => l.split(' ').slice(2, 4))
      .filter((oid) => !/^0+$/.test(oid))
      .map((oid) => Number(git(repo.dir, ['cat-file', '-s', oid]).trim()))
      .filter((size) => size <= 512 * 1024)
      .reduce((a, b) => a + b, 0);
    const asked: number[] = [];
    let released = 0;
    const diffRoom = async (bytes: number) => {
      asked.push(bytes);
      return () => {
        released += 1;
      };
    };
    const r = await runBrowse({ kind: 'commit', sha: head }, repo.odb, repo.refs, { diffRoom });
    expect(as(r, 'commit').files.length).toBeGreaterThan(0);
    expect([asked, released]).toEqual([[want], 1]);
    // Reads without diffs never ask.
    await runBrowse({ kind: 'tree', at: { refPath: 'main' } }, repo.odb, repo.refs, { diffRoom });
    expect(asked).toHaveLength(1);
  });

  it('blames a renamed file line by line exactly like git blame', async () => {
    const path = fileIn('docs/');
    const r = as(
      await runBrowse({ kind: 'blame', at: { refPath: `main/${path}` } }, repo.odb, repo.refs),
      'blame',
    );
    const porcelain = git(repo.dir, ['blame', '--porcelain', 'main', '--', path]);
    const want: string[] = [];
    for (const l of porcelain.split('\n')) {
      const m = /^([0-9a-f]{40}) \d+ (\d+)/.exec(l);
      if (m) want[Number(m[2]) - 1] = m[1];
    }
    const mine: string[] = [];
    for (const x of r.ranges) for (let i = 0; i < x.count; i++) mine[x.start - 1 + i] = x.commit;
    const same = mine.filter((c, i) => c === want[i]).length;
    expect(same).toBe(want.length);
  });

  it('serves raw bytes as a stream and archives as tar.gz', async () => {
    const path = fileIn('README');
    const r = as(await runBrowse({ kind: 'raw', at: { ref: 'main', path } }, repo.odb, repo.refs), 'raw');
    const bytes = await collect(r.body);
    expect(new TextDecoder().decode(bytes)).toBe(git(repo.dir, ['show', `main:${path}`]));
    const a = as(
      await runBrowse({ kind: 'archive', ref: 'main', format: 'tar.gz', prefix: 'x' }, repo.odb, repo.refs),
      'archive',
    );
    expect((await collect(a.body)).length).toBeGreaterThan(100);
  });

  it('answers errors for unknown refs and paths', async () => {
    const bad = await runBrowse({ kind: 'tree', at: { refPath: 'no-such-branch/x' } }, repo.odb, repo.refs);
    expect(bad).toMatchObject({ kind: 'error', code: 'REF_NOT_FOUND' });
    const missing = await runBrowse(
      { kind: 'blob', at: { ref: 'main', path: 'nope.txt' } },
      repo.odb,
      repo.refs,
    );
    expect(missing).toMatchObject({ kind: 'error', code: 'PATH_NOT_FOUND' });
    const dots = await runBrowse({ kind: 'blob', at: { ref: 'main', path: '../etc' } }, repo.odb, repo.refs);
    expect(dots).toMatchObject({ kind: 'error', code: 'BAD_REQUEST' });
  });

  it('compares a side branch with main through their merge base', async () => {
    const branches = git(repo.dir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads'])
      .trim()
      .split('\n');
    const side = branches.find((b) => b !== 'main');
    if (!side) return;
    const r = as(
      await runBrowse({ kind: 'compare', base: 'main', head: side }, repo.odb, repo.refs),
      'compare',
    );
    const want = git(repo.dir, ['log', '--format=%H', `main..${side}`])
      .trim()
      .split('\n')
      .filter(Boolean);
    expect(r.commits.map((c) => c.oid)).toEqual(want);
    expect(r.mergeBase).toBe(git(repo.dir, ['merge-base', 'main', side]).trim());
  });

  it('lists base..head as git rev-list does for every ref against main, both ways', async () => {
    const refs = git(repo.dir, ['for-each-ref', '--format=%(refname)']).trim().split('\n');
    const main = git(repo.dir, ['rev-parse', 'main']).trim();
    const pairs = refs.flatMap((r) => {
      const oid = git(repo.dir, ['rev-parse', `${r}^{commit}`]).trim();
      return [
        [main, oid],
        [oid, main],
      ];
    });
    pairs.push([git(repo.dir, ['rev-parse', 'main~25']).trim(), main], [main, main]);
    for (const [base, head] of pairs) {
      const want = git(repo.dir, ['rev-list', `${base}..${head}`])
        .trim()
        .split('\n')
        .filter(Boolean);
      const got = await commitsBetween(repo.odb, base, head, 1000);
      expect([...got.oids].sort(), `${base}..${head}`).toEqual([...want].sort());
    }
  });

  it('reads the commits between, not the whole history of the base, to list a push onto a branch', async () => {
    let reads = 0;
    const counted = Object.create(repo.odb) as typeof repo.odb;
    counted.read = (oid) => {
      reads++;
      return repo.odb.read(oid);
    };
    const base = git(repo.dir, ['rev-parse', 'main~3']).trim();
    const got = await commitsBetween(counted, base, git(repo.dir, ['rev-parse', 'main']).trim(), 20);
    expect(got.oids).toHaveLength(Number(git(repo.dir, ['rev-list', '--count', `${base}..main`]).trim()));
    // The history has 300 commits: git reads the few between, the base and a few more for clock skew.
    expect(reads).toBeLessThan(20);
  });
});
