// Issues through the REST API: the whole life of an issue (labels, assignees, comments, closing
// and reopening), filters and pagination, who may do what, and bad input refused with nothing
// changed.
import { beforeAll, describe, expect, inject, test } from 'vitest';
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

const base = inject('baseUrl');

interface Label {
  id: number;
  name: string;
  color: string;
}
interface Issue {
  id: number;
  number: number;
  title: string;
  body: string;
  state: string;
  user: { login: string };
  labels: Label[];
  assignees: { login: string }[];
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  html_url: string;
  pull_request: unknown;
}
interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

let owner: TestUser;
let writer: TestUser;
let stranger: TestUser;
const auth: Record<'owner' | 'writer' | 'stranger', Auth> = { owner: null, writer: null, stranger: null };
let pub: string;
let priv: string;

async function tokenAuth(u: TestUser): Promise<Auth> {
  return asToken((await createToken(base, u)).sha1);
}

beforeAll(async () => {
  [owner, writer, stranger] = await Promise.all([
    signUp(base, 'iown'),
    signUp(base, 'iwri'),
    signUp(base, 'istr'),
  ]);
  auth.owner = await tokenAuth(owner);
  auth.writer = await tokenAuth(writer);
  auth.stranger = await tokenAuth(stranger);
  pub = (await createRepo(base, auth.owner, uniqueName('pub'))).full_name;
  priv = (await createRepo(base, auth.owner, uniqueName('priv'), { private: true })).full_name;
  for (const repo of [pub, priv]) {
    const r = await call(base, 'PUT', `/api/v1/repos/${repo}/collaborators/${writer.username}`, {
      auth: auth.owner,
      json: { permission: 'write' },
    });
    expect(r.status).toBe(204);
  }
});

const issues = (repo: string) => `/api/v1/repos/${repo}/issues`;

async function open(repo: string, who: Auth, json: Record<string, unknown>): Promise<Issue> {
  const r = await call<Issue>(base, 'POST', issues(repo), { auth: who, json });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function label(repo: string, name: string, color: string): Promise<Label> {
  const r = await call<Label>(base, 'POST', `/api/v1/repos/${repo}/labels`, {
    auth: auth.owner,
    json: { name, color },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function list(repo: string, query: string, who: Auth = auth.owner) {
  const r = await call<Issue[]>(base, 'GET', `${issues(repo)}?${query}`, { auth: who });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { numbers: r.body.map((i) => i.number), total: Number(r.headers.get('x-total-count')) };
}

describe('the life of an issue', () => {
  let bug: Label;
  let ui: Label;
  let first: Issue;
  let theirs: Issue;

  test('labels are created by writers, unique by name', async () => {
    bug = await label(pub, 'bug', '#d73a4a');
    ui = await label(pub, 'ui', '0075CA');
    expect(bug).toMatchObject({ name: 'bug', color: 'd73a4a' });
    expect(ui.color).toBe('0075ca');
    const dup = await call(base, 'POST', `/api/v1/repos/${pub}/labels`, {
      auth: auth.owner,
      json: { name: 'BUG', color: '#000000' },
    });
    expect(dup.status).toBe(409);
    const all = await call<Label[]>(base, 'GET', `/api/v1/repos/${pub}/labels`);
    expect(all.body.map((l) => l.name)).toEqual(['bug', 'ui']);
  });

  test('an issue is created with labels and assignees', async () => {
    first = await open(pub, auth.owner, {
      title: '  Crash on start  ',
      body: 'It crashes.',
      labels: [bug.id],
      assignees: [owner.username, writer.username.toUpperCase()],
    });
    expect(first).toMatchObject({
      number: 1,
      title: 'Crash on start',
      body: 'It crashes.',
      state: 'open',
      user: { login: owner.username },
      comments: 0,
      closed_at: null,
      pull_request: null,
      html_url: `${base}/${pub}/issues/1`,
    });
    expect(first.labels.map((l) => l.name)).toEqual(['bug']);
    expect(first.assignees.map((a) => a.login).sort()).toEqual([owner.username, writer.username].sort());
    expect(Date.parse(first.created_at)).not.toBeNaN();
    const got = await call<Issue>(base, 'GET', `${issues(pub)}/1`);
    expect(got.status).toBe(200);
    expect(got.body.title).toBe('Crash on start');
  });

  test('a stranger opens an issue and comments on a public repository', async () => {
    theirs = await open(pub, auth.stranger, { title: 'Question' });
    expect(theirs.number).toBe(2);
    expect(theirs.body).toBe('');
    const c = await call<Comment>(base, 'POST', `${issues(pub)}/1/comments`, {
      auth: auth.stranger,
      json: { body: 'Same here, see #2' },
    });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ body: 'Same here, see #2', user: { login: stranger.username } });
    const comments = await call<Comment[]>(base, 'GET', `${issues(pub)}/1/comments`);
    expect(comments.body.map((m) => m.body)).toEqual(['Same here, see #2']);
    expect((await call<Issue>(base, 'GET', `${issues(pub)}/1`)).body.comments).toBe(1);
  });

  test('a stranger may not label, assign or close what is not theirs', async () => {
    const asStranger = { auth: auth.stranger };
    expect(
      (await call(base, 'POST', `${issues(pub)}/2/labels`, { ...asStranger, json: { labels: [bug.id] } }))
        .status,
    ).toBe(403);
    expect(
      (await call(base, 'PATCH', `${issues(pub)}/2`, { ...asStranger, json: { labels: [bug.id] } })).status,
    ).toBe(403);
    expect(
      (
        await call(base, 'PATCH', `${issues(pub)}/2`, {
          ...asStranger,
          json: { assignees: [owner.username] },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(base, 'PATCH', `${issues(pub)}/1`, { ...asStranger, json: { state: 'closed' } })).status,
    ).toBe(403);
    expect(
      (await call(base, 'PATCH', `${issues(pub)}/1`, { ...asStranger, json: { title: 'mine now' } })).status,
    ).toBe(403);
    expect(
      (
        await call(base, 'POST', `/api/v1/repos/${pub}/labels`, {
          ...asStranger,
          json: { name: 'x', color: '#000000' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(base, 'POST', issues(pub), { ...asStranger, json: { title: 't', labels: [bug.id] } }))
        .status,
    ).toBe(403);
    const still = (await call<Issue>(base, 'GET', `${issues(pub)}/1`)).body;
    expect(still).toMatchObject({ state: 'open', title: 'Crash on start' });
    expect((await call<Issue>(base, 'GET', `${issues(pub)}/2`)).body.labels).toEqual([]);
  });

  test('anonymous callers read but do not write', async () => {
    expect((await call(base, 'GET', issues(pub))).status).toBe(200);
    expect((await call(base, 'POST', issues(pub), { json: { title: 'anon' } })).status).toBe(401);
    expect((await call(base, 'POST', `${issues(pub)}/1/comments`, { json: { body: 'anon' } })).status).toBe(
      401,
    );
  });

  test('the author closes, retitles and reopens their own issue', async () => {
    const closed = await call<Issue>(base, 'PATCH', `${issues(pub)}/2`, {
      auth: auth.stranger,
      json: { state: 'closed', title: 'Question (answered)' },
    });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ state: 'closed', title: 'Question (answered)' });
    expect(closed.body.closed_at).not.toBeNull();
    const reopened = await call<Issue>(base, 'PATCH', `${issues(pub)}/2`, {
      auth: auth.stranger,
      json: { state: 'open' },
    });
    expect(reopened.body).toMatchObject({ state: 'open', closed_at: null });
  });

  test('a writer labels, assigns, closes and reopens', async () => {
    const added = await call<Label[]>(base, 'POST', `${issues(pub)}/2/labels`, {
      auth: auth.writer,
      json: { labels: [ui.id, 'bug'] },
    });
    expect(added.status).toBe(200);
    expect(added.body.map((l) => l.name)).toEqual(['bug', 'ui']);
    const replaced = await call<Label[]>(base, 'PUT', `${issues(pub)}/2/labels`, {
      auth: auth.writer,
      json: { labels: [ui.id] },
    });
    expect(replaced.body.map((l) => l.name)).toEqual(['ui']);
    expect(
      (await call(base, 'DELETE', `${issues(pub)}/2/labels/${ui.id}`, { auth: auth.writer })).status,
    ).toBe(204);
    expect(
      (await call(base, 'DELETE', `${issues(pub)}/2/labels/${ui.id}`, { auth: auth.writer })).status,
    ).toBe(404);
    const patched = await call<Issue>(base, 'PATCH', `${issues(pub)}/2`, {
      auth: auth.writer,
      json: { labels: [ui.id], assignees: [writer.username], state: 'closed' },
    });
    expect(patched.status).toBe(201);
    expect(patched.body.labels.map((l) => l.name)).toEqual(['ui']);
    expect(patched.body.assignees.map((a) => a.login)).toEqual([writer.username]);
    expect(patched.body.state).toBe('closed');
    const reopened = await call<Issue>(base, 'PATCH', `${issues(pub)}/2`, {
      auth: auth.writer,
      json: { state: 'open' },
    });
    expect(reopened.body.state).toBe('open');
  });

  test('comments are edited and deleted by their author or a writer only', async () => {
    const mine = await call<Comment>(base, 'POST', `${issues(pub)}/2/comments`, {
      auth: auth.stranger,
      json: { body: 'first draft' },
    });
    const ownerSays = await call<Comment>(base, 'POST', `${issues(pub)}/2/comments`, {
      auth: auth.owner,
      json: { body: 'by the owner' },
    });
    const path = (id: number) => `/api/v1/repos/${pub}/issues/comments/${id}`;
    const edited = await call<Comment>(base, 'PATCH', path(mine.body.id), {
      auth: auth.stranger,
      json: { body: 'final' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.body).toBe('final');
    expect(
      (await call(base, 'PATCH', path(ownerSays.body.id), { auth: auth.stranger, json: { body: 'hacked' } }))
        .status,
    ).toBe(403);
    expect((await call(base, 'DELETE', path(ownerSays.body.id), { auth: auth.stranger })).status).toBe(403);
    expect((await call<Comment>(base, 'GET', path(ownerSays.body.id))).body.body).toBe('by the owner');
    expect(
      (await call(base, 'PATCH', path(mine.body.id), { auth: auth.writer, json: { body: 'moderated' } }))
        .status,
    ).toBe(200);
    expect((await call(base, 'DELETE', path(mine.body.id), { auth: auth.stranger })).status).toBe(204);
    expect((await call(base, 'GET', path(mine.body.id))).status).toBe(404);
    // A comment id of another repository is not found through this one.
    expect(
      (
        await call(base, 'GET', `/api/v1/repos/${priv}/issues/comments/${ownerSays.body.id}`, {
          auth: auth.owner,
        })
      ).status,
    ).toBe(404);
  });
});

describe('filters and pagination', () => {
  let repo: string;
  beforeAll(async () => {
    repo = (await createRepo(base, auth.owner, uniqueName('filt'))).full_name;
    const red = await call<Label>(base, 'POST', `/api/v1/repos/${repo}/labels`, {
      auth: auth.owner,
      json: { name: 'red', color: '#ff0000' },
    });
    const blue = await call<Label>(base, 'POST', `/api/v1/repos/${repo}/labels`, {
      auth: auth.owner,
      json: { name: 'blue', color: '#0000ff' },
    });
    await call(base, 'PUT', `/api/v1/repos/${repo}/collaborators/${writer.username}`, {
      auth: auth.owner,
      json: { permission: 'write' },
    });
    // 1: red, owner; 2: red+blue, assigned writer; 3: by stranger; 4: blue closed; 5..7 plain.
    await open(repo, auth.owner, { title: 'one', labels: [red.body.id] });
    await open(repo, auth.owner, {
      title: 'two',
      labels: [red.body.id, blue.body.id],
      assignees: [writer.username],
    });
    await open(repo, auth.stranger, { title: 'three' });
    await open(repo, auth.owner, { title: 'four', labels: [blue.body.id] });
    await call(base, 'PATCH', `${issues(repo)}/4`, { auth: auth.owner, json: { state: 'closed' } });
    for (const t of ['five', 'six', 'seven']) await open(repo, auth.writer, { title: t });
  });

  test('by state, newest first', async () => {
    expect(await list(repo, '')).toEqual({ numbers: [7, 6, 5, 3, 2, 1], total: 6 });
    expect(await list(repo, 'state=closed')).toEqual({ numbers: [4], total: 1 });
    expect((await list(repo, 'state=all')).total).toBe(7);
    expect((await call(base, 'GET', `${issues(repo)}?state=bogus`)).status).toBe(422);
  });

  test('by labels (all of them), author and assignee', async () => {
    expect((await list(repo, 'labels=red')).numbers).toEqual([2, 1]);
    expect((await list(repo, 'labels=red,blue&state=all')).numbers).toEqual([2]);
    expect((await list(repo, 'labels=blue&state=all')).numbers).toEqual([4, 2]);
    expect((await list(repo, 'labels=nosuch')).numbers).toEqual([]);
    expect((await list(repo, `created_by=${stranger.username}`)).numbers).toEqual([3]);
    expect((await list(repo, `assigned_by=${writer.username}`)).numbers).toEqual([2]);
    expect((await list(repo, 'created_by=nobody-at-all')).numbers).toEqual([]);
    expect((await list(repo, 'type=issues')).total).toBe(6);
    expect((await list(repo, 'type=pulls')).total).toBe(0);
  });

  test('in pages', async () => {
    expect(await list(repo, 'state=all&limit=3&page=1')).toEqual({ numbers: [7, 6, 5], total: 7 });
    expect(await list(repo, 'state=all&limit=3&page=2')).toEqual({ numbers: [4, 3, 2], total: 7 });
    expect(await list(repo, 'state=all&limit=3&page=3')).toEqual({ numbers: [1], total: 7 });
    expect(await list(repo, 'state=all&limit=3&page=4')).toEqual({ numbers: [], total: 7 });
  });

  test('concurrent creations get distinct, consecutive numbers', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => open(repo, auth.owner, { title: `race ${i}` })),
    );
    expect(created.map((i) => i.number).sort((a, b) => a - b)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });
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
      for (const repo of [pub, priv]) {
        const r = await call(base, 'PUT', `/api/v1/repos/${repo}/collaborators/${user.username}`, {
          auth: auth.owner,
          json: { permission },
        });
        expect(r.status).toBe(204);
      }
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
});
