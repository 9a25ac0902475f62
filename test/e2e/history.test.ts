// History walks read commit links from the repository's commit graph once they have been read
// a first time: the answers before and after must be the same, and git's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { GIT_ENV, git, makeRepo, removeDir } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
let user: GitUser;
let src: string;

beforeAll(async () => {
  user = await createUser(base, 'hist');
  await createRepo(base, user, 'walked');
  src = makeRepo(150);
  git(src, ['push', '-q', authUrl(base, user, user.username, 'walked'), '--all']);
}, 120_000);

afterAll(() => removeDir(src));

/** Every commit id the commits API lists for `query`, page after page. */
async function listed(query: string): Promise<string[]> {
  const out: string[] = [];
  for (let page = 1; page < 20; page++) {
    const res = await fetch(
      `${base}/api/v1/repos/${user.username}/walked/commits?${query}&limit=50&page=${page}`,
    );
    expect(res.status).toBe(200);
    out.push(...((await res.json()) as { sha: string }[]).map((c) => c.sha));
    if (res.headers.get('X-HasMore') !== 'true') return out;
  }
  throw new Error('more pages than the history has');
}

test('the whole history, cold and then from the commit graph, is git log', async () => {
  const cold = await listed('sha=main');
  const warm = await listed('sha=main');
  expect(warm).toEqual(cold);
  const log = git(src, ['log', '--format=%H', 'main']).trim().split('\n');
  // The same commits in the same order (newest first; the fixture's commit times all differ).
  expect(cold).toEqual(log);
});

test("a file's history is the same cold and warm, and only commits that changed it", async () => {
  const path = git(src, ['ls-tree', '-r', '--name-only', 'main']).trim().split('\n')[0];
  const cold = await listed(`sha=main&path=${encodeURIComponent(path)}`);
  const warm = await listed(`sha=main&path=${encodeURIComponent(path)}`);
  expect(warm).toEqual(cold);
  expect(cold.length).toBeGreaterThan(0);
  const changed = new Set(
    git(src, ['log', '--format=%H', '--full-history', 'main', '--', path]).trim().split('\n'),
  );
  for (const c of cold) expect(changed.has(c), c).toBe(true);
});

test("the commits list carries Gitea's paging headers, counted from the commit graph", async () => {
  const total = Number(git(src, ['rev-list', '--count', 'main']).trim());
  const pages = Math.ceil(total / 50);
  expect(pages).toBeGreaterThan(1);
  const url = `${base}/api/v1/repos/${user.username}/walked/commits`;
  const first = await fetch(`${url}?sha=main&limit=50&page=1`);
  expect(first.headers.get('X-Total-Count')).toBe(String(total));
  expect(first.headers.get('X-Total')).toBe(String(total));
  expect(first.headers.get('X-PageCount')).toBe(String(pages));
  expect(first.headers.get('X-HasMore')).toBe('true');
  const link = first.headers.get('Link') ?? '';
  expect(link).toContain('page=2>; rel="next"');
  expect(link).toContain(`page=${pages}>; rel="last"`);
  expect(link).not.toContain('rel="prev"');
  const last = await fetch(`${url}?sha=main&limit=50&page=${pages}`);
  expect(((await last.json()) as unknown[]).length).toBe(total - (pages - 1) * 50);
  expect(last.headers.get('X-Total-Count')).toBe(String(total));
  expect(last.headers.get('X-HasMore')).toBe('false');
  expect(last.headers.get('Link')).not.toContain('rel="next"');
  expect(last.headers.get('Link')).toContain(`page=${pages - 1}>; rel="prev"`);
  // A file's history that fits one page: the page is the count.
  const path = git(src, ['ls-tree', '-r', '--name-only', 'main']).trim().split('\n')[0];
  const changed = git(src, ['log', '--format=%H', 'main', '--', path]).trim().split('\n').length;
  const file = await fetch(`${url}?sha=main&limit=50&path=${encodeURIComponent(path)}`);
  if (changed <= 50) expect(file.headers.get('X-Total-Count')).toBe(String(changed));
});

test("a commit's author and committer are the accounts their emails belong to", async () => {
  const owner = await createUser(base, 'authored');
  await createRepo(base, owner, 'authored');
  const dir = mkdtempSync(join(tmpdir(), 'gitflare-authored-'));
  try {
    const commit = (file: string, author: string, committer: string) => {
      writeFileSync(join(dir, file), file);
      git(dir, ['add', file]);
      execFileSync('git', ['commit', '-q', '-m', file], {
        cwd: dir,
        env: { ...GIT_ENV, GIT_AUTHOR_EMAIL: author, GIT_COMMITTER_EMAIL: committer },
      });
      return git(dir, ['rev-parse', 'HEAD']).trim();
    };
    git(dir, ['init', '-q', '-b', 'main']);
    const own = commit('a', owner.email.toUpperCase(), owner.email);
    const noReply = commit(
      'b',
      `${owner.id}+${owner.username}@users.noreply.example.test`,
      'nobody@example.test',
    );
    const stranger = commit('c', 'nobody@example.test', 'nobody@example.test');
    git(dir, ['push', '-q', authUrl(base, owner, owner.username, 'authored'), 'main']);
    const res = await fetch(`${base}/api/v1/repos/${owner.username}/authored/commits?sha=main`);
    type Listed = {
      sha: string;
      author: { login: string; email: string } | null;
      committer: { login: string } | null;
    };
    const bySha = new Map(((await res.json()) as Listed[]).map((c) => [c.sha, c]));
    expect(bySha.get(own)?.author?.login).toBe(owner.username);
    expect(bySha.get(own)?.committer?.login).toBe(owner.username);
    // The account's email is not published by the link.
    expect(bySha.get(own)?.author?.email).toBe('');
    expect(bySha.get(noReply)?.author?.login).toBe(owner.username);
    expect(bySha.get(noReply)?.committer).toBeNull();
    expect(bySha.get(stranger)?.author).toBeNull();
    const one = await fetch(`${base}/api/v1/repos/${owner.username}/authored/git/commits/${own}`);
    expect(((await one.json()) as Listed).author?.login).toBe(owner.username);
  } finally {
    removeDir(dir);
  }
});
