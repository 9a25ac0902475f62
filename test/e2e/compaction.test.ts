// Many pushes leave many packs; the Durable Object's maintenance (its alarm's work, run here on
// demand) compacts them into one, and the repository keeps cloning identically after it does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitTry, strictCloneArgs } from '../helpers/git';
import { type GitStats, gitStats, runMaintenance } from '../helpers/maintenance';
import { packRange, pushBody, slowPush } from '../helpers/packs';
import { serverUrl } from '../helpers/server';

const server = { url: serverUrl() };
let user: GitUser;
const work = mkdtempSync(join(tmpdir(), 'gitflare-compact-'));

beforeAll(async () => {
  // The test server's alarm never comes during the tests: each runs maintenance itself once its
  // pushes are in (a timer racing the pushes would compact some of them early).
  user = await createUser(server.url, 'compact');
  await createRepo(server.url, user, 'many');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function statsOf(repo: string): Promise<GitStats> {
  return gitStats(server.url, user, repo);
}

/** Runs the repository's maintenance now, as its alarm would; then its statistics. */
async function maintained(repo: string): Promise<GitStats> {
  expect(await runMaintenance(server.url, user, repo)).toBe(200);
  return statsOf(repo);
}

test('six pushes are compacted into one pack that clones identically', async () => {
  const url = authUrl(server.url, user, user.username, 'many');
  const src = join(work, 'src');
  git(work, ['init', '-q', '-b', 'main', src]);
  for (let i = 0; i < 6; i++) {
    // Each push edits the same file, so the packs hold deltas against each other's objects.
    writeFileSync(join(src, 'file.txt'), `${'line\n'.repeat(200)}edit ${i}\n`);
    writeFileSync(join(src, `new-${i}.txt`), `file ${i}\n`);
    git(src, ['add', '-A']);
    git(src, ['commit', '-q', '-m', `commit ${i}`]);
    git(src, ['push', '-q', url, 'main']);
  }
  expect((await statsOf('many')).live_packs).toBe(6);
  const s = await maintained('many');
  expect(s.live_packs).toBe(1);
  expect(s.retired_packs).toBe(6);
  const objectsInSource = git(src, ['count-objects', '-v']).match(/count: (\d+)/)?.[1];
  expect(s.objects).toBe(Number(objectsInSource));
  // Each push was a layer of the cached pack; the six layers became one with their packs.
  expect(s.cached_pack).toEqual([{ packs: 1, objects: s.objects }]);

  const dest = join(work, 'clone');
  const cloned = gitTry(work, ['clone', '--progress', '--mirror', url, dest]);
  expect(cloned.code).toBe(0);
  expect(cloned.stderr).toMatch(new RegExp(`pack-reused ${s.objects}\\b`));
  git(dest, ['fsck', '--full', '--strict']);
  expect(git(dest, ['rev-parse', 'main'])).toBe(git(src, ['rev-parse', 'main']));
  expect(git(dest, ['rev-list', '--objects', '--all']).split('\n').sort()).toEqual(
    git(src, ['rev-list', '--objects', '--all']).split('\n').sort(),
  );

  // A push after compaction builds on the compacted pack.
  writeFileSync(join(src, 'file.txt'), 'rewritten\n');
  git(src, ['commit', '-q', '-am', 'after']);
  git(src, ['push', '-q', url, 'main']);
  const after = await statsOf('many');
  expect(after.cached_pack.map((l) => l.packs)).toEqual([1, 2]);
  const again = join(work, 'clone2');
  const recloned = gitTry(work, ['clone', '--progress', url, again]);
  expect(recloned.code).toBe(0);
  expect(recloned.stderr).toMatch(new RegExp(`pack-reused ${after.cached_pack[1].objects}\\b`));
  expect(git(again, ['log', '--format=%s', '-1']).trim()).toBe('after');
});

test('packs outside the cached pack are merged apart from its layers, then maintenance catches it up', async () => {
  await createRepo(server.url, user, 'mixed');
  const url = authUrl(server.url, user, user.username, 'mixed');
  const src = join(work, 'mixed');
  git(work, ['init', '-q', '-b', 'main', src]);
  const commit = (i: number, content: string) => {
    writeFileSync(join(src, 'file.txt'), content);
    writeFileSync(join(src, `new-${i}.txt`), `file ${i}\n`);
    git(src, ['add', '-A']);
    git(src, ['commit', '-q', '-m', `commit ${i}`]);
    git(src, ['push', '-q', url, 'main']);
  };
  commit(0, 'first\n');
  commit(1, 'second\n');
  // Brings the first version of file.txt again: a pack holding a stored object is no layer, nor
  // is anything pushed on top of it.
  commit(2, 'first\n');
  commit(3, 'third\n');
  commit(4, 'fourth\n');
  const reachable = git(src, ['rev-list', '--objects', 'main']).trim().split('\n').length;
  expect((await statsOf('mixed')).live_packs).toBe(5);
  const s = await maintained('mixed');
  // The two layers' packs became one layer; the three others one pack, which the repair of the
  // cached pack then made redundant (it copies what the layers lacked) and retired.
  expect(s.live_packs).toBe(2);
  expect(s.retired_packs).toBe(6);
  expect(s.cached_pack).toEqual([
    { packs: 1, objects: 8 },
    { packs: 2, objects: reachable },
  ]);

  const dest = join(work, 'mixed-clone');
  const cloned = gitTry(work, strictCloneArgs(url, dest));
  expect(cloned.code).toBe(0);
  expect(cloned.stderr).toMatch(new RegExp(`pack-reused ${reachable}\\b`));
  git(dest, ['fsck', '--full', '--strict', '--no-dangling']);
  expect(git(dest, ['rev-list', '--objects', '--all']).split('\n').sort()).toEqual(
    git(src, ['rev-list', '--objects', '--all']).split('\n').sort(),
  );
});

test('after a branch is deleted unmerged, maintenance catches the cached pack up with the refs', async () => {
  await createRepo(server.url, user, 'repaired');
  const url = authUrl(server.url, user, user.username, 'repaired');
  const src = join(work, 'repaired');
  git(work, ['init', '-q', '-b', 'main', src]);
  const commit = (name: string) => {
    writeFileSync(join(src, `${name}.txt`), `${name}\n`);
    git(src, ['add', '-A']);
    git(src, ['commit', '-q', '-m', name]);
  };
  commit('first');
  git(src, ['push', '-q', url, 'main']);
  // A branch whose pack is a layer, then deleted without being merged.
  git(src, ['checkout', '-q', '-b', 'gone']);
  commit('gone');
  const gone = git(src, ['rev-parse', 'HEAD']).trim();
  git(src, ['push', '-q', url, 'gone']);
  git(src, ['push', '-q', url, ':gone']);
  git(src, ['checkout', '-q', 'main']);
  commit('second');
  git(src, ['push', '-q', url, 'main']);

  // Until maintenance: the last layer holds the deleted branch, so clones take the first and walk.
  const reachable = git(src, ['rev-list', '--objects', 'main']).trim().split('\n').length;
  expect((await statsOf('repaired')).cached_pack.at(-1)?.objects).not.toBe(reachable);
  const s = await maintained('repaired');
  // The first push's layer, then one more: the objects the walk found, written as a pack.
  expect(s.cached_pack).toEqual([
    { packs: 1, objects: 3 },
    { packs: 2, objects: reachable },
  ]);
  // The last push's pack is all in the cached pack now: retired. The branch's stays (its commit).
  expect(s.retired_packs).toBe(1);

  const dest = join(work, 'repaired-clone');
  const cloned = gitTry(work, strictCloneArgs(url, dest));
  expect(cloned.code).toBe(0);
  expect(cloned.stderr).toMatch(new RegExp(`Total ${reachable} .*pack-reused ${reachable}\\b`));
  git(dest, ['fsck', '--full', '--strict', '--no-dangling']);
  expect(gitTry(dest, ['cat-file', '-e', gone]).code).not.toBe(0);

  // The next push builds a layer on the repaired cached pack.
  commit('third');
  git(src, ['push', '-q', url, 'main']);
  expect((await statsOf('repaired')).cached_pack.map((l) => l.packs)).toEqual([1, 2, 3]);
});

test('maintenance waits for a push still being received, and compacts after it', async () => {
  await createRepo(server.url, user, 'waits');
  const url = authUrl(server.url, user, user.username, 'waits');
  const src = join(work, 'waits');
  git(work, ['init', '-q', '-b', 'main', src]);
  for (let i = 0; i < 5; i++) {
    writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`);
    git(src, ['add', '-A']);
    git(src, ['commit', '-q', '-m', `commit ${i}`]);
    git(src, ['push', '-q', url, 'main']);
  }
  const base = git(src, ['rev-parse', 'main']).trim();
  writeFileSync(join(src, 'slow.txt'), 'pushed slowly\n');
  git(src, ['add', '-A']);
  git(src, ['commit', '-q', '-m', 'slow']);
  const tip = git(src, ['rev-parse', 'main']).trim();
  const pack = packRange(src, tip, base);
  const body = pushBody([{ name: 'refs/heads/main', oldOid: base, newOid: tip }], pack);

  // Half the push now; once its response has begun (the repository is receiving it), maintenance
  // is deferred and leaves the five packs alone.
  const push = slowPush(url, body);
  await push.receiving;
  expect(await runMaintenance(server.url, user, 'waits')).toBe(409);
  expect((await statsOf('waits')).live_packs).toBe(5);
  const report = await push.finish();
  expect(report).toContain('ok refs/heads/main');
  const s = await maintained('waits');
  expect(s.live_packs).toBe(1);
  expect(s.retired_packs).toBe(6);
});
