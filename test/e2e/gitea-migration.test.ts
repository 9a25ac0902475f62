// Milestones (Gitea's API, on issues and pull requests, list filters) and `service: "gitea"`
// migrations. The source is this server itself (test servers allow loopback hosts): a repository
// seeded through the API with labels, milestones, issues with comments, an open, a closed and a
// merged pull request and a release with an asset, migrated into another user's repository and
// compared field by field through the API and git.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  authUrl,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { git, TempDirs } from '../helpers/git';
import { ScenarioRepo } from '../helpers/merge-repo';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const base = serverUrl();
const dirs = new TempDirs();
type Obj = Record<string, unknown>;

let alice: GitUser; // owns the source
let bob: GitUser; // comments on it
let carol: GitUser; // migrates it
let local: ScenarioRepo;
const src = 'gm-source';
const api = (owner: string, name: string) => `/api/v1/repos/${owner}/${name}`;

async function ok<T = Obj>(method: string, path: string, json?: unknown, auth: Auth = asToken(alice.token)) {
  const r = await call<T>(base, method, path, { auth, json });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const assetBytes = new Uint8Array(70_000).map((_, i) => (i * 131 + 7) % 251);

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([
    createUser(base, 'gma'),
    createUser(base, 'gmb'),
    createUser(base, 'gmc'),
  ]);
  await createRepo(base, alice, src);
  local = new ScenarioRepo();
  local.commit('base', { 'a.txt': 'a\n' });
  for (const b of ['open', 'closed', 'merged']) {
    local.checkout(`feat-${b}`, true);
    local.commit(`${b} change`, { [`${b}.txt`]: `${b}\n` });
    local.checkout('main');
  }
  local.run(['push', '-q', authUrl(base, alice, alice.username, src), 'refs/heads/*:refs/heads/*']);
  const s = api(alice.username, src);
  await ok('PUT', `${s}/collaborators/${bob.username}`, { permission: 'write' });
  await ok('POST', `${s}/labels`, { name: 'bug', color: '#d73a4a', description: 'broken' });
  await ok('POST', `${s}/labels`, { name: 'feature', color: '00ff00' });
  const v1 = await ok('POST', `${s}/milestones`, {
    title: 'v1',
    description: 'first',
    due_on: '2027-01-31T00:00:00Z',
  });
  await ok('POST', `${s}/milestones`, { title: 'v0', state: 'closed' });
  await ok('POST', `${s}/issues`, {
    title: 'Crash on start',
    body: 'it crashes',
    labels: ['bug'],
    milestone: v1.id,
  });
  await ok('POST', `${s}/issues/1/comments`, { body: 'seen it too' }, asToken(bob.token));
  await ok('POST', `${s}/issues/1/comments`, { body: 'fixing' });
  await ok('POST', `${s}/issues`, { title: 'Old idea', body: 'nah' }, asToken(bob.token));
  await ok('PATCH', `${s}/issues/2`, { state: 'closed' });
  for (const b of ['open', 'closed', 'merged'])
    await ok('POST', `${s}/pulls`, { title: `PR ${b}`, body: `does ${b}`, head: `feat-${b}`, base: 'main' });
  await ok('PATCH', `${s}/issues/3`, { labels: ['feature'], milestone: v1.id });
  await ok('POST', `${s}/issues/3/comments`, { body: 'looks good' }, asToken(bob.token));
  await ok('PATCH', `${s}/issues/4`, { state: 'closed' });
  await ok('POST', `${s}/pulls/5/merge`, { Do: 'merge' });
  const rel = await ok('POST', `${s}/releases`, {
    tag_name: 'v1.0',
    target_commitish: 'main',
    name: 'One',
    body: 'notes',
  });
  const up = await fetch(`${base}${s}/releases/${rel.id}/assets?name=tool.bin`, {
    method: 'POST',
    headers: { authorization: `token ${alice.token}`, 'content-type': 'application/octet-stream' },
    body: assetBytes,
  });
  expect(up.status).toBe(201);
}, 180_000);

afterAll(() => {
  local?.remove();
  dirs.removeAll();
});

describe('milestones', () => {
  test('CRUD, counts of open and closed issues, and the filters of issue and pull lists', async () => {
    const s = api(alice.username, src);
    const list = await call<Obj[]>(base, 'GET', `${s}/milestones?state=all`);
    expect(list.status).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('2');
    const v1 = list.body.find((m) => m.title === 'v1') as Obj;
    // #1 (issue) and #3 (pull request) are open in v1.
    expect(v1).toMatchObject({
      description: 'first',
      state: 'open',
      open_issues: 2,
      closed_issues: 0,
      due_on: '2027-01-31T00:00:00.000Z',
      closed_at: null,
    });
    expect((await call<Obj[]>(base, 'GET', `${s}/milestones`)).body.map((m) => m.title)).toEqual(['v1']);
    const issue = await call<Obj>(base, 'GET', `${s}/issues/1`);
    expect((issue.body.milestone as Obj).title).toBe('v1');
    const pull = await call<Obj>(base, 'GET', `${s}/pulls/3`);
    expect((pull.body.milestone as Obj).id).toBe(v1.id);
    // ?milestones= by title and by id; a name that is no milestone matches nothing.
    const byTitle = await call<Obj[]>(base, 'GET', `${s}/issues?state=all&milestones=v1`);
    expect(byTitle.body.map((i) => i.number).sort()).toEqual([1, 3]);
    const pullsById = await call<Obj[]>(base, 'GET', `${s}/pulls?state=all&milestones=${v1.id}`);
    expect(pullsById.body.map((i) => i.number)).toEqual([3]);
    expect((await call<Obj[]>(base, 'GET', `${s}/issues?state=all&milestones=nope`)).body).toEqual([]);
    const none = await call<Obj[]>(base, 'GET', `${s}/issues?state=all&type=issues&milestones=none`);
    expect(none.body.map((i) => i.number)).toEqual([2]);
    // q, with labels and type.
    const q = await call<Obj[]>(base, 'GET', `${s}/issues?state=all&q=CRASH&labels=bug&type=issues`);
    expect(q.body.map((i) => i.number)).toEqual([1]);
    expect((await call<Obj[]>(base, 'GET', `${s}/issues?state=all&q=zzz`)).body).toEqual([]);

    // Closing moves the count; removing the milestone from an issue (0) and deleting one.
    const tmp = await ok('POST', `${s}/milestones`, { title: 'tmp' });
    await ok('PATCH', `${s}/issues/2`, { milestone: tmp.id });
    expect(await ok('GET', `${s}/milestones/${tmp.id}`)).toMatchObject({ open_issues: 0, closed_issues: 1 });
    const closed = await ok('PATCH', `${s}/milestones/${tmp.id}`, { state: 'closed', title: 'tmp2' });
    expect(closed).toMatchObject({ state: 'closed', title: 'tmp2' });
    expect(typeof closed.closed_at).toBe('string');
    expect((await ok('GET', `${s}/milestones/tmp2`)).id).toBe(tmp.id);
    await ok('PATCH', `${s}/issues/2`, { milestone: 0 });
    expect((await ok('GET', `${s}/issues/2`)).milestone).toBeNull();
    await ok('PATCH', `${s}/issues/2`, { milestone: tmp.id });
    expect(
      (await call(base, 'DELETE', `${s}/milestones/${tmp.id}`, { auth: asToken(alice.token) })).status,
    ).toBe(204);
    expect((await call(base, 'GET', `${s}/milestones/${tmp.id}`)).status).toBe(404);
    expect((await ok('GET', `${s}/issues/2`)).milestone).toBeNull();
    // Bad input: 422 with a message, nothing made.
    const bad = await call<Obj>(base, 'POST', `${s}/milestones`, {
      auth: asToken(alice.token),
      json: { title: 'x', due_on: 'soon' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/due_on/);
    const unknown = await call<Obj>(base, 'PATCH', `${s}/issues/1`, {
      auth: asToken(alice.token),
      json: { milestone: 999999 },
    });
    expect(unknown.status).toBe(422);
    expect((await ok('GET', `${s}/issues/1`)).milestone).toMatchObject({ title: 'v1' });
  });

  test('authorization: readers read, writers manage, on a public and a private repository', async () => {
    const stranger = await createUser(base, 'gms');
    const scoped = await createToken(base, alice, {
      name: 'gm-ro',
      scopes: ['read:issue', 'read:repository'],
    });
    const reader = await createUser(base, 'gmr');
    const pub = 'gm-public';
    const priv = 'gm-private';
    await createRepo(base, alice, pub);
    await createRepo(base, alice, priv, { private: true });
    for (const name of [pub, priv])
      await ok('PUT', `${api(alice.username, name)}/collaborators/${reader.username}`, {
        permission: 'read',
      });
    const callers: [string, Auth][] = [
      ['anonymous', null],
      ['stranger', asToken(stranger.token)],
      ['reader', asToken(reader.token)],
      ['writer', asToken(bob.token)],
      ['owner', asToken(alice.token)],
      ['read-scoped token', asToken(scoped.sha1)],
    ];
    for (const name of [pub, priv])
      await ok('PUT', `${api(alice.username, name)}/collaborators/${bob.username}`, { permission: 'write' });
    const pm = await ok('POST', `${api(alice.username, priv)}/milestones`, { title: 'p' });
    const pubId = (await ok('POST', `${api(alice.username, pub)}/milestones`, { title: 'q' })).id;
    // Expected statuses: [list, create] per caller, public then private.
    const expected: Record<string, [number, number, number, number]> = {
      anonymous: [200, 401, 404, 404],
      stranger: [200, 403, 404, 404],
      reader: [200, 403, 200, 403],
      writer: [200, 201, 200, 201],
      owner: [200, 201, 200, 201],
      'read-scoped token': [200, 403, 200, 403],
    };
    const got: Record<string, number[]> = {};
    for (const [who, auth] of callers) {
      got[who] = [];
      for (const [name, id] of [
        [pub, pubId],
        [priv, pm.id],
      ] as const) {
        const p = api(alice.username, name);
        const list = await call(base, 'GET', `${p}/milestones`, { auth });
        const read = await call(base, 'GET', `${p}/milestones/${id}`, { auth });
        expect(read.status).toBe(list.status);
        got[who].push(
          list.status,
          (await call(base, 'POST', `${p}/milestones`, { auth, json: { title: `by ${who}` } })).status,
        );
      }
    }
    expect(got).toEqual(expected);
  });
});

describe('issue search', () => {
  test('GET /repos/issues/search finds issues in the repositories the caller may read only', async () => {
    const word = `needle${Math.random().toString(36).slice(2, 10)}`;
    await createRepo(base, alice, 'gm-search');
    await createRepo(base, alice, 'gm-hidden', { private: true });
    await ok('POST', `${api(alice.username, 'gm-search')}/labels`, { name: 'bug', color: 'ff0000' });
    await ok('POST', `${api(alice.username, 'gm-hidden')}/issues`, { title: `${word} private` });
    await ok('POST', `${api(alice.username, 'gm-search')}/issues`, {
      title: `${word} public`,
      labels: ['bug'],
    });
    const stranger = await createUser(base, 'gmx');
    const search = async (query: string, auth: Auth) => {
      const r = await call<Obj[]>(base, 'GET', `/api/v1/repos/issues/search?q=${word}${query}`, { auth });
      expect(r.status).toBe(200);
      return r.body.map((i) => `${(i.repository as Obj).full_name} ${i.title}`).sort();
    };
    const pub = `${alice.username}/gm-search ${word} public`;
    const priv = `${alice.username}/gm-hidden ${word} private`;
    expect(await search('', null)).toEqual([pub]);
    expect(await search('', asToken(stranger.token))).toEqual([pub]);
    expect(await search('', asToken(alice.token))).toEqual([priv, pub]);
    expect(await search('&labels=bug', asToken(alice.token))).toEqual([pub]);
    expect(await search('&state=closed', asToken(alice.token))).toEqual([]);
    expect(await search('&type=pulls', asToken(alice.token))).toEqual([]);
    expect(await search(`&owner=${alice.username}`, asToken(alice.token))).toEqual([priv, pub]);
    expect(await search(`&owner=${bob.username}`, asToken(alice.token))).toEqual([]);
  });
});

describe('migration with service "gitea"', () => {
  const compareFields = (a: Obj, keys: string[]) => Object.fromEntries(keys.map((k) => [k, a[k]]));

  async function migrate(json: Obj, token = carol.token) {
    return call<Obj>(base, 'POST', '/api/v1/repos/migrate', { auth: asToken(token), json });
  }

  /** Carol's repository once its import (on the repository's alarm) is no longer running. */
  async function settled(name: string): Promise<Obj> {
    return waitFor(
      `the import of ${name} to end`,
      async () => {
        const r = await ok('GET', api(carol.username, name), undefined, asToken(carol.token));
        return r.migration_status !== 'running' && r;
      },
      { timeoutMs: 120_000 },
    );
  }

  const stats = async (name: string) =>
    ok<{ alarms: Record<string, string>; import_steps: number }>(
      'GET',
      `${api(carol.username, name)}/git/stats`,
      undefined,
      asToken(carol.token),
    );

  /**
   * A proxy to the server: `answer` may answer a request itself (a rate limit, a failure), else
   * it is passed on. Every path asked for is in `seen`.
   */
  async function sourceProxy(answer: (url: string) => { status: number; headers?: Obj } | null) {
    const seen: string[] = [];
    const proxy: Server = createServer((req, res) => {
      const url = req.url ?? '/';
      seen.push(url);
      const own = answer(url);
      if (own) {
        res.writeHead(own.status, { 'Content-Type': 'application/json', ...(own.headers ?? {}) });
        res.end('{"message":"from the proxy"}');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host') headers[k] = v;
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', async () => {
        const up = await fetch(`${base}${url}`, {
          method: req.method,
          headers,
          body: req.method === 'POST' ? Buffer.concat(parts) : undefined,
        });
        const out = Buffer.from(await up.arrayBuffer());
        const h = Object.fromEntries(up.headers);
        delete h['content-encoding'];
        delete h['content-length'];
        res.writeHead(up.status, h);
        res.end(out);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      seen,
      close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
    };
  }

  test('labels, milestones, issues with comments, pull requests with their heads, and releases with assets arrive equal', async () => {
    const r = await migrate({
      clone_addr: `${base}/${alice.username}/${src}.git`,
      repo_name: 'gm-copy',
      service: 'gitea',
      auth_token: alice.token,
      labels: true,
      milestones: true,
      issues: true,
      pull_requests: true,
      releases: true,
      wiki: true,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // The request answers once the git data is in; the import runs on the repository's alarm,
    // in steps of a few subrequests on test servers (IMPORT_STEP_SUBREQUESTS), each re-armed at once.
    expect(r.body.migration_status).not.toBe('failed');
    expect(await settled('gm-copy')).toMatchObject({ migration_status: 'done', migration_error: null });
    expect((await stats('gm-copy')).import_steps).toBeGreaterThanOrEqual(5);
    expect((await stats('gm-copy')).alarms.import).toBeUndefined();
    const s = api(alice.username, src);
    const d = api(carol.username, 'gm-copy');
    const both = async (path: string) =>
      Promise.all([
        ok<Obj[]>('GET', `${s}${path}`),
        ok<Obj[]>('GET', `${d}${path}`, undefined, asToken(carol.token)),
      ]);

    const [sl, dl] = await both('/labels');
    expect(dl.map((l) => compareFields(l, ['name', 'color', 'description']))).toEqual(
      sl.map((l) => compareFields(l, ['name', 'color', 'description'])),
    );
    const msKeys = ['title', 'description', 'state', 'due_on', 'open_issues', 'closed_issues'];
    const [sm, dm] = await both('/milestones?state=all');
    expect(dm.map((m) => compareFields(m, msKeys))).toEqual(sm.map((m) => compareFields(m, msKeys)));
    expect(dm.map((m) => m.title)).toEqual(expect.arrayContaining(['v0', 'v1']));

    const issueKeys = ['number', 'title', 'body', 'state', 'comments', 'created_at', 'closed_at'];
    const shape = (i: Obj) => ({
      ...compareFields(i, issueKeys),
      user: (i.user as Obj).login,
      labels: (i.labels as Obj[]).map((l) => l.name),
      milestone: (i.milestone as Obj | null)?.title ?? null,
      pull: i.pull_request !== null,
    });
    const [si, di] = await both('/issues?state=all&limit=50');
    expect(di.map(shape)).toEqual(si.map(shape));
    expect(di.length).toBe(5);
    for (const n of [1, 3]) {
      const [sc, dc] = await both(`/issues/${n}/comments`);
      const c = (x: Obj) => ({ body: x.body, user: (x.user as Obj).login, created_at: x.created_at });
      expect(dc.map(c)).toEqual(sc.map(c));
      expect(dc.length).toBeGreaterThan(0);
    }

    const pullKeys = ['number', 'title', 'state', 'merged', 'merge_commit_sha'];
    const ps = (p: Obj) => ({
      ...compareFields(p, pullKeys),
      head: compareFields(p.head as Obj, ['ref', 'sha']),
      base: (p.base as Obj).ref,
    });
    const [sp, dp] = await both('/pulls?state=all');
    expect(dp.map(ps)).toEqual(sp.map(ps));
    expect(dp.map((p) => [p.number, p.state, p.merged])).toEqual([
      [5, 'closed', true],
      [4, 'closed', false],
      [3, 'open', false],
    ]);
    // Each pull request's head commit is kept as refs/pull/{n}/head.
    const refs = git(dirs.make(), [
      'ls-remote',
      authUrl(base, carol, carol.username, 'gm-copy'),
      'refs/pull/*',
    ]);
    for (const p of sp) {
      expect(refs).toContain(`${(p.head as Obj).sha}\trefs/pull/${p.number}/head\n`);
    }
    // New issues continue after the source's numbers.
    const next = await ok('POST', `${d}/issues`, { title: 'after' }, asToken(carol.token));
    expect(next.number).toBe(6);

    const [sr, dr] = await both('/releases');
    const rel = (x: Obj) => ({
      ...compareFields(x, ['tag_name', 'name', 'body', 'draft', 'prerelease']),
      assets: (x.assets as Obj[]).map((a) => [a.name, a.size]),
    });
    expect(dr.map(rel)).toEqual(sr.map(rel));
    const asset = (dr[0].assets as Obj[])[0];
    const bytes = new Uint8Array(await (await fetch(asset.browser_download_url as string)).arrayBuffer());
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(assetBytes))).toBe(0);
  });

  test('a source failing mid-import: recorded, then Retry continues from where it stopped, nothing twice', async () => {
    // 500 to every pull request list while `broken` is set.
    let broken = true;
    const proxy = await sourceProxy((url) => (url.includes('/pulls?') && broken ? { status: 500 } : null));
    try {
      const d = api(carol.username, 'gm-retry');
      const first = await migrate({
        clone_addr: `${proxy.url}/${alice.username}/${src}.git`,
        repo_name: 'gm-retry',
        service: 'gitea',
        auth_token: alice.token,
        labels: true,
        milestones: true,
        issues: true,
        pull_requests: true,
      });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const failed = await settled('gm-retry');
      expect(failed).toMatchObject({ migration_status: 'failed' });
      expect(failed.migration_error).toMatch(/importing pulls: the source answered 500/);
      // Issues came in before the failure; pulls did not.
      const before = await ok<Obj[]>(
        'GET',
        `${d}/issues?state=all&type=issues`,
        undefined,
        asToken(carol.token),
      );
      expect(before.map((i) => i.number).sort()).toEqual([1, 2]);
      broken = false;
      const seenBefore = proxy.seen.length;
      const retry = await call<Obj>(base, 'POST', `${d}/mirror-sync`, { auth: asToken(carol.token) });
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      expect(await settled('gm-retry')).toMatchObject({ migration_status: 'done', migration_error: null });
      // The retry went on from the pull requests: no git data, labels, milestones nor issues again.
      const again = proxy.seen.slice(seenBefore);
      expect(again.some((u) => u.includes('/pulls?'))).toBe(true);
      expect(
        again.filter((u) => /\/(labels|milestones|issues)\?|git-upload-pack|info\/refs/.test(u)),
      ).toEqual([]);
      const all = await ok<Obj[]>('GET', `${d}/issues?state=all&limit=50`, undefined, asToken(carol.token));
      expect(all.map((i) => i.number)).toEqual([5, 4, 3, 2, 1]);
      const comments = await ok<Obj[]>('GET', `${d}/issues/1/comments`, undefined, asToken(carol.token));
      expect(comments.map((c) => c.body)).toEqual(['seen it too', 'fixing']);
      expect((await ok<Obj[]>('GET', `${d}/labels`, undefined, asToken(carol.token))).length).toBe(2);
      const titles = async (repo: string) =>
        (await ok<Obj[]>('GET', `${repo}/milestones?state=all`, undefined, asToken(carol.token))).map(
          (m) => m.title,
        );
      expect(await titles(d)).toEqual(await titles(api(alice.username, src)));
    } finally {
      await proxy.close();
    }
  });

  test('a 429 with Retry-After: the import waits on a later alarm, not in a sleep, then finishes', async () => {
    // The first issue list answered 429, asking for an hour.
    let limited = 0;
    const proxy = await sourceProxy((url) =>
      url.includes('/issues?') && limited++ === 0
        ? { status: 429, headers: { 'Retry-After': '3600' } }
        : null,
    );
    try {
      const d = api(carol.username, 'gm-limited');
      const started = Date.now();
      const r = await migrate({
        clone_addr: `${proxy.url}/${alice.username}/${src}.git`,
        repo_name: 'gm-limited',
        service: 'gitea',
        auth_token: alice.token,
        labels: true,
        issues: true,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      // The wait is the import's next alarm, an hour on; meanwhile the repository is still running.
      const due = await waitFor('the import rescheduled after the 429', async () => {
        const at = (await stats('gm-limited')).alarms.import;
        return at !== undefined && Date.parse(at) >= started + 3_500_000 && Date.parse(at);
      });
      expect((await ok('GET', d, undefined, asToken(carol.token))).migration_status).toBe('running');
      expect((await ok<Obj[]>('GET', `${d}/labels`, undefined, asToken(carol.token))).length).toBe(2);
      expect(limited).toBe(1);
      const run = async (at: number) => {
        const res = await call<{ ran: string[] }>(base, 'POST', `${d}/git/alarm`, {
          auth: asToken(carol.token),
          headers: { 'X-Gitflare-Test-Now': new Date(at).toISOString() },
        });
        expect(res.status).toBe(200);
        return res.body;
      };
      // Control: before the wait is over, nothing of the import runs.
      expect((await run(Date.now())).ran).not.toContain('import');
      expect(limited).toBe(1);
      expect((await run(due + 1000)).ran).toContain('import');
      expect(await settled('gm-limited')).toMatchObject({ migration_status: 'done' });
      expect(limited).toBe(2);
      const issues = await ok<Obj[]>('GET', `${d}/issues?state=all`, undefined, asToken(carol.token));
      expect(issues.map((i) => i.number).sort()).toEqual([1, 2]);
    } finally {
      await proxy.close();
    }
  });

  test('authorization: only into the caller own namespace, anonymous 401; unknown service 422', async () => {
    const json = {
      clone_addr: `${base}/${alice.username}/${src}.git`,
      repo_name: 'gm-denied',
      service: 'gitea',
      issues: true,
    };
    expect((await call(base, 'POST', '/api/v1/repos/migrate', { json })).status).toBe(401);
    const other = await migrate({ ...json, repo_owner: alice.username });
    expect(other.status).toBe(403);
    const svc = await migrate({ ...json, service: 'gitlab' });
    expect(svc.status).toBe(422);
    expect(String(svc.body.message)).toMatch(/gitea/);
    expect(
      (await call(base, 'GET', api(carol.username, 'gm-denied'), { auth: asToken(carol.token) })).status,
    ).toBe(404);
    expect(
      (await call(base, 'GET', api(alice.username, 'gm-denied'), { auth: asToken(alice.token) })).status,
    ).toBe(404);
    // Positive control: the same request by the caller for themself.
    expect((await migrate(json)).status).toBe(201);
    expect(await settled('gm-denied')).toMatchObject({ migration_status: 'done' });
  });
});
