// HEAD belongs to the repository's Durable Object: the branch named at creation, moved by the first
// push when that push does not create it, and by the default-branch setting. The API (one
// repository and lists), git's HEAD symref and the pages all answer the object's value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitAsync } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-head-'));
let user: GitUser;
let src: string;

async function apiBranch(name: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/repos/${user.username}/${name}`, {
    headers: { Authorization: `token ${user.token}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { default_branch: string }).default_branch;
}

async function listedBranch(name: string): Promise<string | undefined> {
  const res = await fetch(`${base}/api/v1/user/repos?limit=50`, {
    headers: { Authorization: `token ${user.token}` },
  });
  const list = (await res.json()) as { name: string; default_branch: string }[];
  return list.find((r) => r.name === name)?.default_branch;
}

/** HEAD's symref as git sees it. */
async function remoteHead(name: string): Promise<string> {
  const out = await gitAsync(work, [
    'ls-remote',
    '--symref',
    authUrl(base, user, user.username, name),
    'HEAD',
  ]);
  return /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out)?.[1] ?? '';
}

beforeAll(async () => {
  user = await createUser(base, 'head');
  src = join(work, 'src');
  git(work, ['init', '-q', '-b', 'main', src]);
  writeFileSync(join(src, 'a.txt'), 'a\n');
  git(src, ['add', '.']);
  git(src, ['commit', '-q', '-m', 'one']);
  git(src, ['branch', 'develop']);
  git(src, ['branch', 'feature']);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('HEAD', () => {
  test('the branch named at creation, before and after a push that creates it', async () => {
    await createRepo(base, user, 'named', { default_branch: 'develop' });
    expect(await apiBranch('named')).toBe('develop');
    await gitAsync(src, ['push', '-q', authUrl(base, user, user.username, 'named'), 'main', 'develop']);
    expect(await remoteHead('named')).toBe('develop');
    expect(await apiBranch('named')).toBe('develop');
    expect(await listedBranch('named')).toBe('develop');
  });

  test('a first push that does not create it moves it to the first branch it creates', async () => {
    await createRepo(base, user, 'moved');
    expect(await apiBranch('moved')).toBe('main');
    await gitAsync(src, ['push', '-q', authUrl(base, user, user.username, 'moved'), 'feature']);
    expect(await remoteHead('moved')).toBe('feature');
    expect(await apiBranch('moved')).toBe('feature');
    expect(await listedBranch('moved')).toBe('feature');
    // The pages' repository frame names it too (the Commits tab).
    const page = await (
      await fetch(`${base}/${user.username}/moved/branches`, {
        headers: { Authorization: `token ${user.token}` },
      })
    ).text();
    expect(page).toContain(`/${user.username}/moved/commits/feature`);
  });

  test('the setting moves it, and git sees the move', async () => {
    await createRepo(base, user, 'setting');
    await gitAsync(src, ['push', '-q', authUrl(base, user, user.username, 'setting'), 'main', 'develop']);
    expect(await remoteHead('setting')).toBe('main');
    const res = await fetch(`${base}/api/v1/repos/${user.username}/setting`, {
      method: 'PATCH',
      headers: { Authorization: `token ${user.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ default_branch: 'develop' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { default_branch: string }).default_branch).toBe('develop');
    expect(await remoteHead('setting')).toBe('develop');
    expect(await apiBranch('setting')).toBe('develop');
    expect(await listedBranch('setting')).toBe('develop');
  });
});
