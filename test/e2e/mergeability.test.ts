// A pull request's mergeability on the real server: checked once per (base, head) commit pair
// and then answered from the repository's store (its stats count the checks), and bounded as a
// diff is: past the bounds it reads "unknown" with a reason, while merging itself still works.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, makeTempDir, removeDir } from '../helpers/git';
import { gitStats } from '../helpers/maintenance';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
let user: GitUser;
const dirs: string[] = [];

beforeAll(async () => {
  user = await createUser(base, 'mcheck');
}, 60_000);

afterAll(() => {
  for (const d of dirs) removeDir(d);
});

const headers = () => ({ Authorization: `token ${user.token}`, 'Content-Type': 'application/json' });

async function api<T>(
  repo: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}/api/v1/repos/${user.username}/${repo}${path}`, {
    method,
    headers: headers(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

const checks = async (repo: string) => (await gitStats(base, user, repo)).merge_checks;

/** A repository with `main` and `feature`, each changing `file` from a common base. */
async function twoBranches(
  repo: string,
  file: (side: 'base' | 'main' | 'feature') => string,
): Promise<string> {
  await createRepo(base, user, repo);
  const src = makeTempDir();
  dirs.push(src);
  git(src, ['init', '-q', '-b', 'main']);
  const commit = (side: 'base' | 'main' | 'feature') => {
    writeFileSync(join(src, 'file.txt'), file(side));
    git(src, ['add', '-A']);
    git(src, ['commit', '-q', '-m', side]);
  };
  commit('base');
  git(src, ['checkout', '-q', '-b', 'feature']);
  commit('feature');
  git(src, ['checkout', '-q', 'main']);
  commit('main');
  git(src, ['push', '-q', authUrl(base, user, user.username, repo), 'main', 'feature']);
  return src;
}

interface PullJson {
  number: number;
  mergeable: boolean;
  mergeable_state: string;
  mergeable_reason: string | null;
  head: { sha: string };
}

test('reading a pull request again reuses its check; a new head commit is checked anew', async () => {
  const src = await twoBranches(
    'cached',
    (side) => `${side === 'main' ? 'M\n' : ''}a\nb\nc\nd\ne\n${side === 'feature' ? 'F\n' : ''}`,
  );
  const opened = await api<PullJson>('cached', 'POST', '/pulls', {
    head: 'feature',
    base: 'main',
    title: 'p',
  });
  expect(opened.status).toBe(201);
  expect(opened.json.mergeable).toBe(true);
  expect(await checks('cached')).toEqual({ cached: 1, computed: 1 });
  const n = opened.json.number;
  for (let i = 0; i < 3; i++)
    expect((await api<PullJson>('cached', 'GET', `/pulls/${n}`)).json.mergeable).toBe(true);
  expect((await fetch(`${base}/${user.username}/cached/pull/${n}`)).status).toBe(200);
  expect(await checks('cached')).toEqual({ cached: 1, computed: 1 });
  // Positive control: a push to the head branch makes a new pair, checked once.
  git(src, ['checkout', '-q', 'feature']);
  writeFileSync(join(src, 'other.txt'), 'x\n');
  git(src, ['add', '-A']);
  git(src, ['commit', '-q', '-m', 'more']);
  git(src, ['push', '-q', authUrl(base, user, user.username, 'cached'), 'feature']);
  const after = await api<PullJson>('cached', 'GET', `/pulls/${n}`);
  expect(after.json.head.sha).toBe(git(src, ['rev-parse', 'HEAD']).trim());
  await api<PullJson>('cached', 'GET', `/pulls/${n}`);
  expect(await checks('cached')).toEqual({ cached: 2, computed: 2 });
}, 120_000);

test('a pull request past the check bounds reads unknown with a reason, and still merges', async () => {
  const lines = Array.from({ length: 40_000 }, (_, i) => `line ${i} of a large generated file\n`).join('');
  // 1.4 MB, changed far apart on each side: a clean merge, too big to check on each read.
  await twoBranches('large', (side) =>
    side === 'base' ? lines : side === 'main' ? `top\n${lines}` : `${lines}end\n`,
  );
  const opened = await api<PullJson>('large', 'POST', '/pulls', {
    head: 'feature',
    base: 'main',
    title: 'big',
  });
  expect(opened.status).toBe(201);
  const pull = (await api<PullJson>('large', 'GET', `/pulls/${opened.json.number}`)).json;
  expect(pull).toMatchObject({ mergeable: false, mergeable_state: 'unknown' });
  expect(pull.mergeable_reason).toContain("'file.txt' changed on both sides is larger than");
  const pageHtml = await (await fetch(`${base}/${user.username}/large/pull/${opened.json.number}`)).text();
  expect(pageHtml).toContain('is not checked here');
  const merged = await api<{ message?: string }>('large', 'POST', `/pulls/${opened.json.number}/merge`, {
    Do: 'merge',
  });
  expect(merged.status).toBe(200);
  expect((await api<{ merged: boolean }>('large', 'GET', `/pulls/${opened.json.number}`)).json.merged).toBe(
    true,
  );
}, 120_000);
