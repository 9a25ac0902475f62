// Issues through the REST API: the whole life of an issue (labels, assignees, comments, closing
// and reopening), filters and pagination. Private repositories, bad input and search:
// issues-rules.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import { call, createRepo, type TestUser, uniqueName } from '../helpers/accounts';
import { type Comment, type Issue, issues, issuesFixture, type Label } from '../helpers/issues';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const fx = issuesFixture(base);
const { auth, open, label, list } = fx;
let owner: TestUser;
let writer: TestUser;
let stranger: TestUser;
let pub: string;
let priv: string;
beforeAll(() => {
  ({ owner, writer, stranger, pub, priv } = fx);
});

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
    await grantOn(base, repo, auth.owner, writer, 'write');
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
