// Files and archives at a full commit id of a public repository are served from the edge cache
// the second time; private repositories and moving refs are never cached.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-cache-'));
let user: GitUser;
let sha: string;

beforeAll(async () => {
  user = await createUser(base, 'cache');
  await createRepo(base, user, 'pub');
  await createRepo(base, user, 'priv', { private: true });
  const src = join(work, 'src');
  git(work, ['init', '-q', '-b', 'main', src]);
  writeFileSync(join(src, 'hello.txt'), 'hello cache\n');
  git(src, ['add', '.']);
  git(src, ['commit', '-q', '-m', 'one']);
  sha = git(src, ['rev-parse', 'HEAD']).trim();
  git(src, ['push', '-q', authUrl(base, user, user.username, 'pub'), 'main']);
  git(src, ['push', '-q', authUrl(base, user, user.username, 'priv'), 'main']);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('raw file at a commit id: miss, then hit with the same bytes', async () => {
  const url = `${base}/${user.username}/pub/raw/${sha}/hello.txt`;
  const first = await fetch(url);
  expect(first.status).toBe(200);
  expect(await first.text()).toBe('hello cache\n');
  expect(first.headers.get('Cache-Control')).toContain('immutable');
  let second = await fetch(url);
  // The cache write finishes after the first answer; allow it a moment.
  for (let i = 0; i < 20 && second.headers.get('CF-Cache-Status') !== 'HIT'; i++) {
    await second.arrayBuffer();
    await new Promise((r) => setTimeout(r, 100));
    second = await fetch(url);
  }
  expect(second.headers.get('CF-Cache-Status')).toBe('HIT');
  expect(await second.text()).toBe('hello cache\n');
  expect(second.headers.get('X-Content-Type-Options')).toBe('nosniff');
});

test('API raw at a branch name is not cached (the branch moves)', async () => {
  const res = await fetch(`${base}/api/v1/repos/${user.username}/pub/raw/hello.txt?ref=main`);
  expect(res.status).toBe(200);
  expect(res.headers.get('CF-Cache-Status')).toBeNull();
  expect(res.headers.get('Cache-Control')).not.toContain('immutable');
});

test('private repositories are never cached and stay hidden', async () => {
  const url = `${base}/${user.username}/priv/raw/${sha}/hello.txt`;
  const auth = { Authorization: `token ${user.token}` };
  for (let i = 0; i < 2; i++) {
    const res = await fetch(url, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('CF-Cache-Status')).toBeNull();
    await res.arrayBuffer();
  }
  expect((await fetch(url)).status).toBe(404);
});
