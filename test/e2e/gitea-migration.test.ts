// Milestones (Gitea's API, on issues and pull requests, list filters), over a repository seeded
// through the API with labels, milestones, issues with comments, an open, a closed and a merged
// pull request and a release with an asset.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
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
import { TempDirs } from '../helpers/git';
import { ScenarioRepo } from '../helpers/merge-repo';

const base = inject('baseUrl');
const dirs = new TempDirs();
type Obj = Record<string, unknown>;

let alice: GitUser; // owns the source
let bob: GitUser; // comments on it
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
  [alice, bob] = await Promise.all([
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
