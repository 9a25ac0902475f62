// The object index of a pack bigger than one sorted run (65,536 entries): the runs are merged,
// every object is found again (a shallow clone looks each one up), a second pack sharing objects
// with the first is counted once, and ids that are not objects are simply not found.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, makeRepo, removeDir } from '../helpers/git';
import { type GitStats, gitStats } from '../helpers/maintenance';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-index-'));
const src = join(work, 'src');
let user: GitUser;
let url: string;

/**
 * A fast-import stream: branch `wide` with more blobs than one run of the index holds, in one
 * tree, and a small unrelated `main`.
 */
function history(count: number): string {
  const who = 'committer A <a@example.com> 1700000000 +0000';
  const lines: string[] = ['commit refs/heads/wide', who, 'data 5', 'wide', ''];
  for (let i = 0; i < count; i++) {
    const body = `blob ${i}\n`;
    lines.push(`M 100644 inline d${i % 97}/f${i}.txt`, `data ${Buffer.byteLength(body)}`, body);
  }
  lines.push('commit refs/heads/main', who, 'data 5', 'main', 'M 100644 inline README', 'data 3', 'hi', '');
  return `${lines.join('\n')}\n`;
}

const BLOBS = 70_000;

beforeAll(async () => {
  user = await createUser(base, 'indexer');
  await createRepo(base, user, 'wide');
  url = authUrl(base, user, user.username, 'wide');
  git(work, ['init', '-q', '--bare', src]);
  git(src, ['fast-import', '--quiet'], history(BLOBS));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function objects(dir: string): string[] {
  return git(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'])
    .trim()
    .split('\n')
    .sort();
}

function stats(): Promise<GitStats> {
  return gitStats(base, user, 'wide');
}

test('a push of more objects than one index run is indexed whole', async () => {
  git(src, ['push', '-q', url, 'main', 'wide']);
  const want = objects(src);
  // 70,000 blobs, 97 directories, the root tree and the commit of `wide`; blob, tree, commit of `main`.
  expect(want.length).toBe(BLOBS + 97 + 2 + 3);
  expect((await stats()).objects).toBe(want.length);

  // A shallow clone walks the tree and looks up every object in the index (no cached pack).
  const shallow = join(work, 'shallow');
  git(work, ['clone', '-q', '--bare', '--depth', '1', '--branch', 'wide', url, shallow]);
  git(shallow, ['fsck', '--strict']);
  const onlyMain = new Set(mainOnly());
  expect(objects(shallow)).toEqual(want.filter((o) => !onlyMain.has(o)));
}, 180_000);

/** The three objects of the small `main`. */
function mainOnly(): string[] {
  return git(src, ['rev-list', '--objects', 'main'])
    .trim()
    .split('\n')
    .map((l) => l.slice(0, 40));
}

test('a second pack holding the same objects again counts them once and serves them', async () => {
  // Its own repository and history, so that it does not depend on the test above having run.
  await createRepo(base, user, 'again');
  const againUrl = authUrl(base, user, user.username, 'again');
  const clone = makeRepo(40);
  git(clone, ['push', '-q', againUrl, 'HEAD:refs/heads/first']);
  // With `first` gone from the server, the client sends the whole history again: every old object
  // arrives a second time, in a second pack.
  git(clone, ['push', '-q', againUrl, ':first']);
  git(clone, ['push', '-q', againUrl, 'HEAD:refs/heads/again']);
  const s = await gitStats(base, user, 'again');
  expect(s.live_packs).toBeGreaterThanOrEqual(2);
  const reachable = git(clone, ['rev-list', '--objects', 'HEAD']).trim().split('\n');
  expect(s.objects).toBe(reachable.length);

  const mirror = join(work, 'again-mirror');
  git(work, ['clone', '-q', '--mirror', againUrl, mirror]);
  git(mirror, ['fsck', '--strict']);
  expect(objects(mirror)).toEqual(reachable.map((l) => l.slice(0, 40)).sort());
  removeDir(clone);
}, 180_000);

test('what is not an object id is not found', async () => {
  for (const ref of [
    '0000000000000000000000000000000000000000',
    'zz',
    'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
  ]) {
    const res = await fetch(`${base}/api/v1/repos/${user.username}/wide/commits?sha=${ref}`, {
      headers: { Authorization: `token ${user.token}` },
    });
    expect(res.status).toBe(404);
  }
});
