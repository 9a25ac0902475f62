// Many pushes leave many packs; the Durable Object's alarm compacts them into one, and the
// repository keeps cloning identically while and after it does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { git } from '../helpers/git';
import { authUrl, createRepo, createUser, type TestUser } from './lib/account';
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

async function stats(): Promise<{ live_packs: number; retired_packs: number; objects: number }> {
  const res = await fetch(`${server.url}/api/v1/repos/${user.username}/many/git/stats`, {
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

  const dest = join(work, 'clone');
  git(work, ['clone', '-q', '--mirror', url, dest]);
  git(dest, ['fsck', '--full', '--strict']);
  expect(git(dest, ['rev-parse', 'main'])).toBe(git(src, ['rev-parse', 'main']));
  expect(git(dest, ['rev-list', '--objects', '--all']).split('\n').sort()).toEqual(
    git(src, ['rev-list', '--objects', '--all']).split('\n').sort(),
  );

  // A push after compaction builds on the compacted pack.
  writeFileSync(join(src, 'file.txt'), 'rewritten\n');
  git(src, ['commit', '-q', '-am', 'after']);
  git(src, ['push', '-q', url, 'main']);
  const again = join(work, 'clone2');
  git(work, ['clone', '-q', url, again]);
  expect(git(again, ['log', '--format=%s', '-1']).trim()).toBe('after');
});
