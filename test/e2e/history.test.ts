// History walks read commit links from the repository's commit graph once they have been read
// a first time: the answers before and after must be the same, and git's.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, makeRepo, removeDir } from '../helpers/git';

const base = inject('baseUrl');
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
