// Pull requests through the API against the real server: branches pushed with git, pull requests
// opened, listed, diffed and merged in each style; the base branch fetched back must hold the tree
// C git produces for the same merge locally. Conflicts and bad input change nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitTry } from '../helpers/git';
import { type GitOutcome, ScenarioRepo } from '../helpers/merge-repo';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
let owner: GitUser;
let reader: GitUser;
let local: ScenarioRepo;
const REPO = 'pulls';

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');
function edit(text: string, lineNo: number, replacement: string): string {
  const ls = text.split('\n');
  ls[lineNo - 1] = replacement;
  return ls.join('\n');
}

async function api(user: GitUser | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (user) headers.Authorization = `token ${user.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}/api/v1/repos/${owner.username}/${REPO}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // Loosely typed on purpose: each test checks the fields it cares about.
  // biome-ignore lint/suspicious/noExplicitAny: API answers of several shapes
  let json: any = null;
  if (res.headers.get('content-type')?.includes('json')) json = JSON.parse(text);
  return { status: res.status, json, text };
}

const url = () => authUrl(base, owner, owner.username, REPO);
const remoteSha = (branch: string) =>
  git(local.dir, ['ls-remote', url(), `refs/heads/${branch}`]).split('\t')[0];

/** Fetch a branch from the server; its commit and tree. */
function fetched(branch: string): { sha: string; tree: string; parents: string[] } {
  git(local.dir, ['fetch', '-q', url(), `refs/heads/${branch}`]);
  const sha = git(local.dir, ['rev-parse', 'FETCH_HEAD']).trim();
  return {
    sha,
    tree: git(local.dir, ['rev-parse', 'FETCH_HEAD^{tree}']).trim(),
    parents: git(local.dir, ['rev-list', '--parents', '-n', '1', sha]).trim().split(' ').slice(1),
  };
}

const STYLES = ['merge', 'squash', 'rebase', 'fast-forward-only'] as const;
const expected = new Map<string, GitOutcome>();

beforeAll(async () => {
  owner = await createUser(base, 'pr-owner');
  reader = await createUser(base, 'pr-reader');
  await createRepo(base, owner, REPO);
  local = new ScenarioRepo();
  const a = lines(20);
  local.commit('base', { 'a.txt': a, 'dir/b.txt': 'b\n', 'gone.txt': 'gone\n' });
  // For each style, a base branch and a head branch diverged from it (ahead only, for ff).
  for (const style of STYLES) {
    local.checkout(`${style}-base`, true);
    if (style !== 'fast-forward-only')
      local.commit(`${style}: base moves`, {
        'a.txt': edit(a, 3, `${style} base 3`),
        'base-only.txt': 'b\n',
      });
    local.checkout(`${style}-head`, true);
    local.run(['reset', '-q', '--hard', 'main']);
    local.commit(`${style}: head 1`, { 'a.txt': edit(a, 17, `${style} head 17`), 'gone.txt': null });
    local.commit(`${style}: head 2`, { 'dir/new.txt': `${style}\n` });
    if (style === 'fast-forward-only') local.run(['rebase', '-q', `${style}-base`]);
    local.checkout('main');
    expected.set(style, local.gitMerge(style, `${style}-base`, `${style}-head`));
  }
  // A conflicting pair, and branches for the lifecycle cases.
  local.checkout('c-base', true);
  local.commit('c base', { 'a.txt': edit(a, 10, 'base 10'), 'dir/b.txt': 'base b\n' });
  local.checkout('c-head', true);
  local.run(['reset', '-q', '--hard', 'main']);
  local.commit('c head', { 'a.txt': edit(a, 10, 'head 10'), 'dir/b.txt': 'head b\n', 'fine.txt': 'fine\n' });
  local.checkout('life-head', true);
  local.run(['reset', '-q', '--hard', 'main']);
  local.commit('life 1', { 'life.txt': 'one\n' });
  local.checkout('main');
  const push = gitTry(local.dir, ['push', '-q', url(), 'refs/heads/*:refs/heads/*']);
  expect(push.code, push.stderr).toBe(0);
}, 180_000);

afterAll(() => local?.remove());

describe('pull requests', () => {
  const numbers = new Map<string, number>();

  test('open one per style; numbers are shared with issues', async () => {
    const issue = await api(owner, 'POST', '/issues', { title: 'an issue first' });
    expect(issue.status).toBe(201);
    let next = issue.json.number + 1;
    for (const style of STYLES) {
      const r = await api(owner, 'POST', '/pulls', {
        head: `${style}-head`,
        base: `${style}-base`,
        title: `PR ${style}`,
        body: 'please',
      });
      expect(r.status, r.text).toBe(201);
      expect(r.json).toMatchObject({
        number: next++,
        state: 'open',
        title: `PR ${style}`,
        body: 'please',
        mergeable: true,
        merged: false,
        head: { ref: `${style}-head`, sha: local.rev(`${style}-head`) },
        base: { ref: `${style}-base`, sha: local.rev(`${style}-base`) },
        user: { login: owner.username },
      });
      expect(r.json.html_url).toBe(`${base}/${owner.username}/${REPO}/pull/${r.json.number}`);
      numbers.set(style, r.json.number);
    }
  });

  test('list and read', async () => {
    const list = await api(owner, 'GET', '/pulls');
    expect(list.status).toBe(200);
    expect(list.json.map((p: { number: number }) => p.number).sort()).toEqual([...numbers.values()].sort());
    const one = await api(null, 'GET', `/pulls/${numbers.get('merge')}`);
    expect(one.status).toBe(200);
    expect(one.json.title).toBe('PR merge');
    expect((await api(owner, 'GET', '/pulls/999')).status).toBe(404);
  });

  test('the .diff is the unified diff of base...head', async () => {
    const r = await api(null, 'GET', `/pulls/${numbers.get('merge')}.diff`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('diff --git a/a.txt b/a.txt');
    expect(r.text).toContain('-line 17\n+merge head 17\n');
    expect(r.text).toContain('diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644');
    expect(r.text).toContain('+++ b/dir/new.txt\n@@ -0,0 +1 @@\n+merge\n');
    // Hunks as git writes them: the whole text equals `git diff base...head` for this change.
    const mergeBase = git(local.dir, ['merge-base', 'merge-base', 'merge-head']).trim();
    // (git also appends a "function name" context to hunk headers; the API does not.)
    const gitDiff = git(local.dir, ['diff', '--no-renames', mergeBase, 'merge-head']).replace(
      /^(@@ [^@]+ @@).*$/gm,
      '$1',
    );
    expect(r.text).toBe(gitDiff);
    // The base's own change is not part of the pull request.
    expect(r.text).not.toContain('merge base 3');
  });

  for (const style of STYLES) {
    test(`merge with Do=${style}: the base branch holds what C git produces`, async () => {
      const n = numbers.get(style);
      const before = remoteSha(`${style}-base`);
      const r = await api(owner, 'POST', `/pulls/${n}/merge`, { Do: style });
      expect(r.status, r.text).toBe(200);
      expect(r.json).toMatchObject({ merged: true, state: 'closed' });
      const want = expected.get(style);
      if (!want?.ok) throw new Error('git could not merge the fixture');
      const got = fetched(`${style}-base`);
      expect(got.tree).toBe(want.tree);
      if (style === 'merge') expect(got.parents).toEqual([before, local.rev(`${style}-head`)]);
      if (style === 'squash' || style === 'rebase') expect(got.parents[0]).not.toBe(undefined);
      if (style === 'fast-forward-only') expect(got.sha).toBe(local.rev(`${style}-head`));
      expect(r.json.merge_commit_sha).toBe(got.sha);
      const again = await api(owner, 'GET', `/pulls/${n}`);
      expect(again.json).toMatchObject({ merged: true, state: 'closed', mergeable: false });
      const twice = await api(owner, 'POST', `/pulls/${n}/merge`, { Do: style });
      expect(twice.status).toBe(409);
      expect(twice.json.message).toContain('already merged');
      const reopen = await api(owner, 'PATCH', `/issues/${n}`, { state: 'open' });
      expect(reopen.status).toBe(422);
      expect((await api(owner, 'GET', `/pulls/${n}`)).json).toMatchObject({ merged: true, state: 'closed' });
    });
  }

  test('a conflicting pull request reports the files and merges nothing', async () => {
    const r = await api(owner, 'POST', '/pulls', { head: 'c-head', base: 'c-base', title: 'conflicting' });
    expect(r.status).toBe(201);
    expect(r.json.mergeable).toBe(false);
    expect([...r.json.conflicting_files].sort()).toEqual(['a.txt', 'dir/b.txt']);
    const before = remoteSha('c-base');
    for (const style of ['merge', 'squash', 'rebase', 'fast-forward-only']) {
      const m = await api(owner, 'POST', `/pulls/${r.json.number}/merge`, { Do: style });
      expect(m.status).toBe(409);
      if (style !== 'fast-forward-only') {
        expect(m.json.message).toContain('a.txt');
        expect(m.json.message).toContain('dir/b.txt');
      }
    }
    expect(remoteSha('c-base')).toBe(before);
    expect((await api(owner, 'GET', `/pulls/${r.json.number}`)).json).toMatchObject({
      state: 'open',
      merged: false,
    });
  });

  test('new commits on the head show up; a deleted head branch is reported and cannot merge', async () => {
    const r = await api(reader, 'POST', '/pulls', {
      head: 'life-head',
      base: 'main',
      title: 'from a reader',
    });
    expect(r.status, r.text).toBe(201);
    const n = r.json.number;
    git(local.dir, ['checkout', '-q', 'life-head']);
    const newHead = local.commit('life 2', { 'life.txt': 'two\n' });
    git(local.dir, ['checkout', '-q', 'main']);
    expect(gitTry(local.dir, ['push', '-q', url(), 'life-head']).code).toBe(0);
    const after = await api(null, 'GET', `/pulls/${n}`);
    expect(after.json.head.sha).toBe(newHead);
    expect(after.json.mergeable).toBe(true);
    // A reader may open but not merge.
    expect((await api(reader, 'POST', `/pulls/${n}/merge`, { Do: 'merge' })).status).toBe(403);
    expect((await api(null, 'POST', `/pulls/${n}/merge`, { Do: 'merge' })).status).toBe(401);
    expect(gitTry(local.dir, ['push', '-q', url(), ':life-head']).code).toBe(0);
    const gone = await api(owner, 'GET', `/pulls/${n}`);
    expect(gone.json).toMatchObject({
      mergeable: false,
      mergeable_state: 'branch_deleted',
      head: { deleted: true },
    });
    const m = await api(owner, 'POST', `/pulls/${n}/merge`, { Do: 'merge' });
    expect(m.status).toBe(409);
    expect(m.json.message).toContain('life-head');
  });

  test('bad input: clear JSON errors, nothing created', async () => {
    const count = async () => (await api(owner, 'GET', '/pulls?state=all&limit=100')).json.length;
    const before = await count();
    const cases: [unknown, number, string][] = [
      [{ head: 'c-head', base: 'main', title: '   ' }, 422, 'title'],
      [{ head: 'c-head', base: 'main' }, 422, 'title'],
      [{ head: 'nope', base: 'main', title: 't' }, 422, "'nope' does not exist"],
      [{ head: 'c-head', base: 'nope', title: 't' }, 422, "'nope' does not exist"],
      [{ head: 'main', base: 'main', title: 't' }, 422, 'different'],
      [{ head: 'main', base: 'c-head', title: 't' }, 422, 'no commits'],
      [{ head: 'bad..name', base: 'main', title: 't' }, 422, 'not a valid branch'],
      [{ head: 'c-head', base: 'c-base', title: 'duplicate' }, 409, 'already open'],
    ];
    for (const [body, status, message] of cases) {
      const r = await api(owner, 'POST', '/pulls', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.message).toContain(message);
    }
    expect((await api(null, 'POST', '/pulls', { head: 'c-head', base: 'main', title: 't' })).status).toBe(
      401,
    );
    const bad = await fetch(`${base}/api/v1/repos/${owner.username}/${REPO}/pulls`, {
      method: 'POST',
      headers: { Authorization: `token ${owner.token}`, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    const open = (await api(owner, 'GET', '/pulls')).json.find(
      (p: { title: string }) => p.title === 'conflicting',
    );
    expect((await api(owner, 'POST', `/pulls/${open.number}/merge`, { Do: 'octopus' })).status).toBe(422);
    expect((await api(owner, 'POST', `/pulls/${open.number}/merge`, {})).status).toBe(422);
    expect((await api(owner, 'POST', '/pulls/9999/merge', { Do: 'merge' })).status).toBe(404);
    expect(await count()).toBe(before);
    const closed = await api(owner, 'GET', '/pulls?state=closed');
    expect(closed.json.length).toBeGreaterThan(0);
    expect(closed.json.every((p: { merged: boolean }) => p.merged)).toBe(true);
    expect((await api(owner, 'GET', '/pulls?state=bogus')).status).toBe(422);
  });
});
