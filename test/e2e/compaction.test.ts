// Many pushes leave many packs; the Durable Object's alarm compacts them into one, and the
// repository keeps cloning identically while and after it does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pushBody } from '../helpers/bad-pack';
import { git, gitBytes, gitTry, strictCloneArgs } from '../helpers/git';
import { authUrl, createRepo, createUser, type TestUser } from './lib/account';
import { receivePackRequest } from './lib/raw-push';
import { type RunningServer, startServer } from './server-process';

let server: RunningServer;
let user: TestUser;
const work = mkdtempSync(join(tmpdir(), 'gitflare-compact-'));

beforeAll(async () => {
  // Its own server, with a short quiet time before compaction.
  server = await startServer({ env: { COMPACT_DELAY_MS: '300' } });
  user = await createUser(server.url, 'compact');
  await createRepo(server.url, user, 'many');
});

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Stats {
  live_packs: number;
  retired_packs: number;
  objects: number;
  cached_pack: { packs: number; objects: number }[];
}

async function stats(): Promise<Stats> {
  return statsOf('many');
}

async function statsOf(repo: string): Promise<Stats> {
  const res = await fetch(`${server.url}/api/v1/repos/${user.username}/${repo}/git/stats`, {
    headers: { Authorization: `token ${user.token}` },
  });
  expect(res.status).toBe(200);
  return res.json();
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
  // Wait for the alarm to compact (bounded).
  let s = await stats();
  for (let i = 0; i < 60 && s.live_packs > 1; i++) {
    await new Promise((r) => setTimeout(r, 500));
    s = await stats();
  }
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
  const after = await stats();
  expect(after.cached_pack.map((l) => l.packs)).toEqual([1, 2]);
  const again = join(work, 'clone2');
  const recloned = gitTry(work, ['clone', '--progress', url, again]);
  expect(recloned.code).toBe(0);
  expect(recloned.stderr).toMatch(new RegExp(`pack-reused ${after.cached_pack[1].objects}\\b`));
  expect(git(again, ['log', '--format=%s', '-1']).trim()).toBe('after');
});

test('packs outside the cached pack are merged apart from its layers, then the alarm catches it up', async () => {
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
  let s = await statsOf('mixed');
  for (let i = 0; i < 60 && (s.live_packs > 2 || s.cached_pack.at(-1)?.objects !== reachable); i++) {
    await new Promise((r) => setTimeout(r, 500));
    s = await statsOf('mixed');
  }
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

test('after a branch is deleted unmerged, the alarm catches the cached pack up with the refs', async () => {
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

  // Until the alarm: the last layer holds the deleted branch, so clones take the first and walk.
  const reachable = git(src, ['rev-list', '--objects', 'main']).trim().split('\n').length;
  let s = await statsOf('repaired');
  for (let i = 0; i < 60 && s.cached_pack.at(-1)?.objects !== reachable; i++) {
    await new Promise((r) => setTimeout(r, 500));
    s = await statsOf('repaired');
  }
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

test('the alarm waits for a push still being received, and compacts after it', async () => {
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
  const pack = gitBytes(src, ['pack-objects', '--revs', '--stdout'], `${tip}\n^${base}\n`);
  const body = pushBody([{ name: 'refs/heads/main', oldOid: base, newOid: tip }], pack);

  // Half the push now; the alarm (due 300 ms after the push began) fires while it is open.
  const push = slowPush(`${url}/git-receive-pack`, body);
  await new Promise((r) => setTimeout(r, 2000));
  expect((await statsOf('waits')).live_packs).toBe(5);
  const report = await push.finish();
  expect(report).toContain('ok refs/heads/main');
  let s = await statsOf('waits');
  for (let i = 0; i < 60 && s.live_packs > 1; i++) {
    await new Promise((r) => setTimeout(r, 500));
    s = await statsOf('waits');
  }
  expect(s.live_packs).toBe(1);
  expect(s.retired_packs).toBe(6);
});

/** A push sending half its body now and the rest on `finish()`, which resolves to the response text. */
function slowPush(url: string, body: Uint8Array): { finish(): Promise<string> } {
  const u = new URL(url);
  let pending = (): void => undefined;
  const response = new Promise<string>((resolve, reject) => {
    const req = receivePackRequest(url, { username: u.username, password: u.password }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts).toString('latin1')));
    });
    req.on('error', reject);
    req.write(body.subarray(0, body.length >> 1));
    pending = () => req.end(body.subarray(body.length >> 1));
  });
  return {
    finish: () => {
      pending();
      return response;
    },
  };
}
