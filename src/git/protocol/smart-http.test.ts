/**
 * End to end: the real git CLI pushes to and fetches from the engine through the Node Smart
 * HTTP test server (memory repositories), over protocol v0 and v2.
 */
import * as fs from 'node:fs';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as isoGit from 'isomorphic-git';
import isoHttp from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo, TempDirs } from '../../../test/helpers/git';
import {
  gitAsync,
  gitOk,
  type NodeGitServer,
  startNodeGitServer,
} from '../../../test/helpers/node-git-server';

let server: NodeGitServer;
let source: string;
/** A smaller repository for the tests that push it several times. */
let small: string;
const dirs = new TempDirs();

beforeAll(async () => {
  server = await startNodeGitServer();
  source = makeRepo(300);
  small = makeRepo(110);
  dirs.keep(source);
  dirs.keep(small);
  await gitOk(source, ['push', '--mirror', `${server.url}/mirror.git`]);
  await gitOk(small, ['push', '--mirror', `${server.url}/small.git`]);
});

afterAll(async () => {
  await server.close();
  dirs.removeAll();
});

const tmp = () => dirs.make();

const v = (n: 0 | 2) => ['-c', `protocol.version=${n}`];

/** Object ids of the packs in a repository that are not in `before`. */
function newPackObjects(gitDir: string, before: readonly string[]): string[] {
  const packDir = join(gitDir, 'objects', 'pack');
  const idx = readdirSync(packDir).filter((f) => f.endsWith('.idx') && !before.includes(f));
  return idx.flatMap((f) =>
    git(gitDir, ['show-index'], readFileSync(join(packDir, f)))
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1]),
  );
}

function packs(gitDir: string): string[] {
  return readdirSync(join(gitDir, 'objects', 'pack')).filter((f) => f.endsWith('.idx'));
}

describe.each([2, 0] as const)('protocol v%i', (version) => {
  it('clones a pushed repository: fsck clean, same refs, same ls-remote', async () => {
    const dst = tmp();
    const clone = await gitOk(dst, [
      ...v(version),
      'clone',
      '--progress',
      '--mirror',
      `${server.url}/mirror.git`,
      'c',
    ]);
    expect(clone.stderr).toMatch(/Enumerating objects: \d+, done\./);
    const c = join(dst, 'c');
    git(c, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(git(c, ['show-ref'])).toBe(git(source, ['show-ref']));
    const remote = await gitOk(dst, [...v(version), 'ls-remote', `${server.url}/mirror.git`]);
    expect(remote.stdout).toBe(git(source, ['ls-remote', '.']));
    expect(git(c, ['count-objects', '-v'])).toMatch(/in-pack: [1-9]/);
  });

  it('an incremental fetch transfers only the new objects', async () => {
    const name = `incr-v${version}.git`;
    await gitOk(small, ['push', '--mirror', `${server.url}/${name}`]);
    const a = join(tmp(), 'a');
    const b = join(tmp(), 'b');
    await gitOk(source, ['clone', '-q', `${server.url}/${name}`, a]);
    await gitOk(source, ['clone', '-q', '--bare', `${server.url}/${name}`, b]);
    writeFileSync(join(a, 'new-file.txt'), `fresh content for v${version}\n`);
    git(a, ['add', 'new-file.txt']);
    git(a, ['commit', '-q', '-m', 'one more']);
    await gitOk(a, [...v(version), 'push', 'origin', 'main']);
    const before = packs(b);
    const had = new Set(
      git(b, ['rev-list', '--all', '--objects'])
        .split('\n')
        .map((l) => l.split(' ')[0]),
    );
    await gitOk(b, [...v(version), '-c', 'fetch.unpackLimit=1', 'fetch', 'origin', 'main:main']);
    const inPack = newPackObjects(b, before);
    // A thin pack's bases are appended by the client (index-pack --fix-thin): a few at most.
    expect(inPack.length).toBeLessThanOrEqual(5);
    const received = inPack.filter((o) => !had.has(o)).sort();
    const expected = [
      git(a, ['rev-parse', 'HEAD']),
      git(a, ['rev-parse', 'HEAD^{tree}']),
      git(a, ['rev-parse', 'HEAD:new-file.txt']),
    ]
      .map((s) => s.trim())
      .sort();
    expect(received).toEqual(expected);
    expect(git(b, ['rev-parse', 'main'])).toBe(git(a, ['rev-parse', 'HEAD']));
    git(b, ['fsck', '--strict']);
  });

  it('clone --depth 1 has one commit; --deepen adds history', async () => {
    const dst = join(tmp(), 'shallow');
    await gitOk(source, [...v(version), 'clone', '-q', '--depth', '1', `${server.url}/mirror.git`, dst]);
    expect(git(dst, ['rev-list', '--count', 'HEAD']).trim()).toBe('1');
    expect(readFileSync(join(dst, '.git', 'shallow'), 'utf8').trim()).toBe(
      git(source, ['rev-parse', 'main']).trim(),
    );
    git(dst, ['fsck', '--strict']);
    await gitOk(dst, [...v(version), 'fetch', '-q', '--deepen', '4']);
    const count = Number(git(dst, ['rev-list', '--count', 'HEAD']).trim());
    expect(count).toBeGreaterThanOrEqual(5);
    // main~4 is now present with its tree, main~5 is not.
    expect(git(dst, ['rev-parse', 'HEAD~4'])).toBe(git(source, ['rev-parse', 'main~4']));
    expect(git(dst, ['ls-tree', '-r', 'HEAD~4'])).toBe(git(source, ['ls-tree', '-r', 'main~4']));
    git(dst, ['fsck', '--strict']);
  });
});

/** A repository whose 400 commits share nothing with the fixtures. */
function unrelatedRepo(): string {
  const dir = tmp();
  git(dir, ['init', '-q', '--bare']);
  let stream = '';
  for (let i = 1; i <= 400; i++) {
    const msg = `unrelated ${i}\n`;
    stream += `commit refs/heads/other\nmark :${i}\ncommitter U <u@example.com> ${1500000000 + i} +0000\ndata ${msg.length}\n${msg}`;
    if (i > 1) stream += `from :${i - 1}\n`;
    stream += `M 644 inline f.txt\ndata ${String(i).length + 1}\n${i}\n\n`;
  }
  git(dir, ['fast-import', '--quiet'], stream);
  return dir;
}

describe.each([2, 0] as const)('negotiation, protocol v%i', (version) => {
  it('gives up over several rounds of unknown haves (gzip requests), then sends everything', async () => {
    const dir = unrelatedRepo();
    const logStart = server.log.length;
    await gitOk(dir, [
      ...v(version),
      'fetch',
      '-q',
      `${server.url}/mirror.git`,
      'refs/heads/*:refs/heads/*',
      'refs/tags/*:refs/tags/*',
    ]);
    git(dir, ['fsck', '--strict']);
    expect(git(dir, ['show-ref', 'refs/heads/main'])).toBe(git(source, ['show-ref', 'refs/heads/main']));
    const posts = server.log.slice(logStart).filter((l) => l.method === 'POST');
    expect(posts.length).toBeGreaterThan(3);
    expect(posts.some((l) => l.gzip)).toBe(true);
  });
});

describe('push', () => {
  it('deletes a branch and force-pushes', async () => {
    const url = `${server.url}/edit.git`;
    await gitOk(small, ['push', '--mirror', url]);
    await gitOk(small, ['push', url, ':refs/heads/topic-1']);
    const old = git(small, ['rev-parse', 'main~5']).trim();
    await gitOk(small, ['push', '--force', url, `${old}:refs/heads/main`]);
    const remote = (await gitOk(small, ['ls-remote', url])).stdout;
    expect(remote).not.toContain('refs/heads/topic-1');
    expect(remote).toContain(`${old}\trefs/heads/main\n`);
    expect(remote).toContain('refs/heads/topic-2');
  });

  it('an atomic push with one failing ref changes nothing', async () => {
    const url = `${server.url}/atomic.git`;
    await gitOk(small, ['push', '--mirror', url]);
    const repo = server.repo('atomic');
    const before = await repo.refs.list();
    const objectsBefore = repo.packs.objectCount;
    const work = join(tmp(), 'w');
    await gitOk(small, ['clone', '-q', url, work]);
    writeFileSync(join(work, 'atomic.txt'), 'atomic\n');
    git(work, ['add', 'atomic.txt']);
    git(work, ['commit', '-q', '-m', 'atomic']);
    const stable = before.find((r) => r.name === 'refs/heads/stable');
    const topic = before.find((r) => r.name === 'refs/heads/topic-2');
    if (!stable || !topic) throw new Error('fixture refs missing');
    // Between the advertisement and the push, someone else moves `stable`.
    server.beforeReceive = async (r) => {
      await r.refs.update([{ name: 'refs/heads/stable', oldOid: stable.oid, newOid: topic.oid }], {
        atomic: false,
      });
    };
    const push = await gitAsync(work, [
      'push',
      '--atomic',
      'origin',
      'HEAD:refs/heads/main',
      'HEAD:refs/heads/stable',
      'HEAD:refs/heads/brand-new',
    ]);
    server.beforeReceive = null;
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/stale info|atomic/);
    const after = await repo.refs.list();
    // The other writer's update carried no mark of what its object is.
    const expected = before.map((r) =>
      r.name === 'refs/heads/stable' ? { name: r.name, oid: topic.oid } : r,
    );
    expect(after).toEqual(expected);
    expect(repo.packs.objectCount).toBe(objectsBefore);
  });

  it('pushes into an empty repository, then clones it', async () => {
    const url = `${server.url}/fresh.git`;
    const adv = await gitOk(small, ['ls-remote', url]);
    expect(adv.stdout).toBe('');
    await gitOk(small, ['push', url, 'topic-1']);
    const dst = join(tmp(), 'fresh');
    await gitOk(small, ['clone', '-q', url, dst]);
    // HEAD followed the only branch pushed.
    expect(git(dst, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/topic-1');
    expect(git(dst, ['rev-parse', 'HEAD'])).toBe(git(small, ['rev-parse', 'topic-1']));
    git(dst, ['fsck', '--strict']);
  });

  it('rejects a ref with a bad name', async () => {
    const url = `${server.url}/names.git`;
    await gitOk(small, ['push', url, 'main']);
    const r = await gitAsync(small, ['push', url, 'main:refs/heads/bad..name']);
    expect(r.code).not.toBe(0);
  });
});

describe('other clients and options', () => {
  it('isomorphic-git clones and pushes', async () => {
    // isomorphic-git packs and indexes in plain JS: keep its repository tiny.
    const tiny = makeRepo(12);
    dirs.keep(tiny);
    await gitOk(tiny, ['push', '--mirror', `${server.url}/tiny.git`]);
    const dir = join(tmp(), 'iso');
    await isoGit.clone({
      fs,
      http: isoHttp,
      dir,
      url: `${server.url}/tiny.git`,
      ref: 'main',
      singleBranch: true,
    });
    expect(`${await isoGit.resolveRef({ fs, dir, ref: 'HEAD' })}\n`).toBe(git(tiny, ['rev-parse', 'main']));
    git(dir, ['fsck', '--strict']);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    writeFileSync(join(dir, 'iso.txt'), 'from isomorphic-git\n');
    await isoGit.add({ fs, dir, filepath: 'iso.txt' });
    const oid = await isoGit.commit({
      fs,
      dir,
      message: 'iso commit',
      author: { name: 'Iso', email: 'iso@example.com' },
    });
    const res = await isoGit.push({
      fs,
      http: isoHttp,
      dir,
      url: `${server.url}/iso.git`,
      ref: 'main',
      remoteRef: 'refs/heads/main',
    });
    expect(res.ok).toBe(true);
    const back = join(tmp(), 'back');
    await gitOk(source, ['clone', '-q', `${server.url}/iso.git`, back]);
    expect(git(back, ['rev-parse', 'HEAD']).trim()).toBe(oid);
    git(back, ['fsck', '--strict']);
  });

  it('clone --filter=blob:none leaves blobs out, and fetches them on demand', async () => {
    const dst = join(tmp(), 'partial');
    await gitOk(source, [
      ...v(2),
      'clone',
      '-q',
      '--no-checkout',
      '--filter=blob:none',
      `${server.url}/mirror.git`,
      dst,
    ]);
    const missing = git(dst, ['rev-list', '--objects', '--all', '--missing=print'])
      .split('\n')
      .filter((l) => l.startsWith('?'));
    expect(missing.length).toBeGreaterThan(100);
    await gitOk(dst, [...v(2), 'checkout', '-q', 'main']);
    // The checkout fetched the blobs of main lazily: the work tree matches the source.
    const file = git(source, ['ls-tree', '-r', '--name-only', 'main']).split('\n')[0];
    expect(readFileSync(join(dst, file), 'utf8')).toBe(git(source, ['cat-file', 'blob', `main:${file}`]));
    expect(git(dst, ['status', '--porcelain'])).toBe('');
  });

  it('clone --filter=object:type=tree gets the commits its refs name, and every tree', async () => {
    const dst = join(tmp(), 'trees-only');
    // Before, no commit came: git refused the answer (remote did not send all necessary objects).
    await gitOk(source, [
      ...v(2),
      'clone',
      '-q',
      '--bare',
      '--filter=object:type=tree',
      `${server.url}/mirror.git`,
      dst,
    ]);
    // What the pack brought, read from its index (asking git for an absent object would fetch it).
    const packDir = join(dst, 'objects', 'pack');
    const idx = readdirSync(packDir).filter((f) => f.endsWith('.idx'));
    expect(idx).toHaveLength(1);
    const got = new Set(
      git(dst, ['show-index'], readFileSync(join(packDir, idx[0])))
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[1]),
    );
    const tips = git(dst, ['for-each-ref', '--format=%(objectname)']).trim().split('\n');
    expect(tips.length).toBeGreaterThan(1);
    for (const tip of tips) expect(got.has(tip)).toBe(true);
    expect(got.has(git(source, ['rev-parse', 'main^{tree}']).trim())).toBe(true);
    // No blob (main's first file) and no commit that no ref names (main's parent).
    const first = git(source, ['ls-tree', '--name-only', 'main']).split('\n')[0];
    expect(got.has(git(source, ['rev-parse', `main:${first}`]).trim())).toBe(false);
    expect(got.has(git(source, ['rev-parse', 'main~1']).trim())).toBe(false);
  });
});
