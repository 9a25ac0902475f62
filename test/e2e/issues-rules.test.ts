// Issues through the REST API: who may do what in a private repository, bad input refused with
// nothing changed, and issue search across the repositories a caller may read.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  call,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { type Comment, type Issue, issues, issuesFixture, type Label } from '../helpers/issues';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const fx = issuesFixture(base);
const { auth, open, label, list, tokenAuth } = fx;
let owner: TestUser;
let stranger: TestUser;
let pub: string;
let priv: string;
beforeAll(() => {
  ({ owner, stranger, pub, priv } = fx);
});

describe('private repositories', () => {
  test('a stranger and an anonymous caller get 404 for everything', async () => {
    await open(priv, auth.owner, { title: 'secret' });
    for (const who of [auth.stranger, null]) {
      const opts = { auth: who };
      expect((await call(base, 'GET', issues(priv), opts)).status).toBe(404);
      expect((await call(base, 'GET', `${issues(priv)}/1`, opts)).status).toBe(404);
      expect((await call(base, 'GET', `${issues(priv)}/1/comments`, opts)).status).toBe(404);
      expect((await call(base, 'GET', `/api/v1/repos/${priv}/labels`, opts)).status).toBe(404);
      expect((await call(base, 'POST', issues(priv), { ...opts, json: { title: 'x' } })).status).toBe(404);
      expect(
        (await call(base, 'POST', `${issues(priv)}/1/comments`, { ...opts, json: { body: 'x' } })).status,
      ).toBe(404);
      expect(
        (await call(base, 'PATCH', `${issues(priv)}/1`, { ...opts, json: { state: 'closed' } })).status,
      ).toBe(404);
    }
    expect((await call(base, 'GET', `${issues(priv)}/1`, { auth: auth.writer })).status).toBe(200);
    expect((await list(priv, '')).total).toBe(1);
  });
});

describe('bad input', () => {
  let repo: string;
  let labelId: number;
  beforeAll(async () => {
    repo = (await createRepo(base, auth.owner, uniqueName('bad'))).full_name;
    labelId = (await label(repo, 'ok', '#00ff00')).id;
    await open(repo, auth.owner, { title: 'Original', body: 'original body' });
  });

  const expect422 = async (method: string, path: string, json: unknown, pattern: RegExp) => {
    const r = await call<{ message: string }>(base, method, path, { auth: auth.owner, json });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.message).toMatch(pattern);
  };

  test('new issues with bad fields are refused with a clear message and not created', async () => {
    const p = issues(repo);
    await expect422('POST', p, {}, /title is/);
    await expect422('POST', p, { title: '' }, /title must not be empty/);
    await expect422('POST', p, { title: '   ' }, /title must not be empty/);
    await expect422('POST', p, { title: 'x'.repeat(256) }, /at most 255/);
    await expect422('POST', p, { title: 42 }, /title must be a string/);
    await expect422('POST', p, { title: 'ok', body: 'y'.repeat(70_000) }, /body must be at most 65536/);
    await expect422('POST', p, { title: 'ok', labels: [999_999] }, /unknown label: 999999/);
    await expect422('POST', p, { title: 'ok', labels: [labelId, 'nope'] }, /unknown label: nope/);
    await expect422('POST', p, { title: 'ok', assignees: ['no-such-user-xyz'] }, /no-such-user-xyz/);
    await expect422('POST', p, { title: 'ok', assignees: [stranger.username] }, /unassignable/);
    await expect422('POST', p, { title: 'ok', labels: 'bug' }, /labels must be an array/);
    const notJson = await call<{ message: string }>(base, 'POST', p, { auth: auth.owner, raw: '{title' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toMatch(/JSON/);
    expect((await list(repo, 'state=all')).total).toBe(1);
  });

  test('a bad edit changes nothing, not even the fields that were fine', async () => {
    const p = `${issues(repo)}/1`;
    await expect422('PATCH', p, { title: 'New title', labels: [999_999] }, /unknown label/);
    await expect422('PATCH', p, { title: 'New title', state: 'done' }, /state must be/);
    await expect422('PATCH', p, { title: '', body: 'new body' }, /title must not be empty/);
    await expect422('PATCH', p, { body: 'z'.repeat(65_537) }, /body must be at most/);
    const issue = (await call<Issue>(base, 'GET', p)).body;
    expect(issue).toMatchObject({ title: 'Original', body: 'original body', state: 'open', labels: [] });
  });

  test('bad comments, labels and numbers', async () => {
    await expect422('POST', `${issues(repo)}/1/comments`, { body: '' }, /body must not be empty/);
    await expect422('POST', `${issues(repo)}/1/comments`, {}, /body is required/);
    await expect422('POST', `${issues(repo)}/1/comments`, { body: 'c'.repeat(65_537) }, /at most 65536/);
    expect((await call<Comment[]>(base, 'GET', `${issues(repo)}/1/comments`)).body).toEqual([]);
    const labels = `/api/v1/repos/${repo}/labels`;
    await expect422('POST', labels, { name: 'x', color: 'red' }, /color/);
    await expect422('POST', labels, { name: '', color: '#ffffff' }, /name must not be empty/);
    await expect422('POST', labels, { name: 'l'.repeat(51), color: '#ffffff' }, /at most 50/);
    expect((await call<Label[]>(base, 'GET', labels)).body.map((l) => l.name)).toEqual(['ok']);
    for (const n of ['abc', '0', '-1', '9999', '1.5']) {
      const r = await call<{ message: string }>(base, 'GET', `${issues(repo)}/${n}`);
      expect(r.status).toBe(404);
      expect(r.body.message).toMatch(/not found/);
    }
  });
});

describe('issue search', () => {
  test('GET /repos/issues/search: what each caller finds in a public and a private repository', async () => {
    const [reader, admin] = await Promise.all([signUp(base, 'irea'), signUp(base, 'iadm')]);
    for (const [user, permission] of [
      [reader, 'read'],
      [admin, 'admin'],
    ] as const) {
      for (const repo of [pub, priv]) await grantOn(base, repo, auth.owner, user, permission);
    }
    const word = uniqueName('needle');
    await open(pub, auth.owner, { title: `${word} in public` });
    await open(priv, auth.owner, { title: `${word} in private` });
    const scoped = async (scopes: string[]) => asToken((await createToken(base, owner, { scopes })).sha1);
    const callers: Record<string, Auth> = {
      anonymous: null,
      stranger: auth.stranger,
      reader: await tokenAuth(reader),
      writer: auth.writer,
      admin: await tokenAuth(admin),
      owner: auth.owner,
      // The owner's token without the repository scope searches as anonymous would.
      'token lacking the scope': await scoped(['read:user']),
      'token with read:repository': await scoped(['read:repository']),
    };
    const found: Record<string, string[]> = {};
    for (const [who, caller] of Object.entries(callers)) {
      const r = await call<Issue[]>(base, 'GET', `/api/v1/repos/issues/search?q=${word}&state=all`, {
        auth: caller,
      });
      expect(r.status, `${who}: ${JSON.stringify(r.body)}`).toBe(200);
      found[who] = r.body.map((i) => i.title.slice(word.length + 4)).sort();
    }
    const both = ['private', 'public'];
    expect(found).toEqual({
      anonymous: ['public'],
      stranger: ['public'],
      reader: both,
      writer: both,
      admin: both,
      owner: both,
      'token lacking the scope': ['public'],
      'token with read:repository': both,
    });
  });
  test('a search over more repositories than a statement may bind parameters for (D1: 100) is answered', async () => {
    // The repositories searched were bound one parameter each; past 100 D1 refused the statement
    // and every search answered 500 (it did in a full suite run, on a server holding many).
    const many = await signUp(base, 'many');
    const names = Array.from({ length: 105 }, (_, i) => `r${i}`);
    for (let i = 0; i < names.length; i += 15)
      await Promise.all(names.slice(i, i + 15).map((n) => createRepo(base, many, n)));
    const word = uniqueName('hay');
    const mine = asToken(
      (await createToken(base, many, { scopes: ['write:issue', 'read:repository'] })).sha1,
    );
    await open(`${many.username}/r104`, mine, { title: `${word} last` });
    await open(`${many.username}/r0`, mine, { title: `${word} first` });
    const r = await call<Issue[]>(
      base,
      'GET',
      `/api/v1/repos/issues/search?q=${word}&owner=${many.username}&state=all`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.map((i) => i.title).sort()).toEqual([`${word} first`, `${word} last`]);
  });
});
