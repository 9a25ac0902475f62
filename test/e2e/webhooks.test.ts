// Webhooks: the hooks API (admins only, URLs the server may reach), real pushes and API events
// delivered to a receiver on this machine with Gitea's and GitHub's headers and valid
// signatures, payloads whose commits are git's, and retries of a failing receiver triggered
// with the test clock (the test server's retry alarm is an hour away).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asToken,
  authUrl,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { git, gitAsync } from '../helpers/git';
import { expectedSignature, HookReceiver, type ReceivedHook } from '../helpers/hook-receiver';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';
import { startServer } from './server-process';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-hooks-'));
const receivers: HookReceiver[] = [];
let owner: GitUser;
const SECRET = 'correct horse battery staple';

beforeAll(async () => {
  owner = await createUser(base, 'hooks');
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  rmSync(work, { recursive: true, force: true });
});

async function receiver(statuses: number[] = []): Promise<HookReceiver> {
  const r = await HookReceiver.start(statuses);
  receivers.push(r);
  return r;
}

const auth = (): Auth => asToken(owner.token);

async function newRepo(): Promise<string> {
  const name = uniqueName('hooked');
  await createRepo(base, owner, name);
  return name;
}

async function addHook(repo: string, url: string, extra: Record<string, unknown> = {}) {
  const r = await call<{ id: number }>(base, 'POST', `/api/v1/repos/${owner.username}/${repo}/hooks`, {
    auth: auth(),
    json: { type: 'gitea', config: { url, content_type: 'json', secret: SECRET }, active: true, ...extra },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

function checkSignatures(d: ReceivedHook): void {
  const sig = expectedSignature(SECRET, d.body);
  expect(d.headers['x-gitea-signature']).toBe(sig);
  expect(d.headers['x-hub-signature-256']).toBe(`sha256=${sig}`);
  expect(d.headers['x-gitea-delivery']).toMatch(/^[0-9a-f-]{36}$/);
  expect(d.headers['x-github-delivery']).toBe(d.headers['x-gitea-delivery']);
  expect(d.headers['x-github-event']).toBe(d.headers['x-gitea-event']);
  expect(d.headers['content-type']).toBe('application/json');
}

function commit(dir: string, file: string, text: string, message: string): void {
  writeFileSync(join(dir, file), text);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
}

const pushOf = (ref: string, after: string) => (list: ReceivedHook[]) =>
  list.find((r) => r.headers['x-gitea-event'] === 'push' && r.json.ref === ref && r.json.after === after);

test('a git push delivers push and create payloads, signed, whose commits are git log', async () => {
  const repo = await newRepo();
  const hooks = await receiver();
  await addHook(repo, hooks.url, { events: ['push', 'create', 'delete'] });
  const src = join(work, repo);
  git(work, ['init', '-q', '-b', 'main', src]);
  commit(src, 'a.txt', 'one\n', 'first');
  commit(src, 'b.txt', 'two\n', 'second');
  commit(src, 'a.txt', 'one, edited\n', 'third\n\nwith a body');
  const url = authUrl(base, owner, owner.username, repo);
  // Not blocking this process: the receiver runs in it.
  await gitAsync(src, ['push', '-q', url, 'main']);
  const head = git(src, ['rev-parse', 'HEAD']).trim();
  const push = await hooks.waitFor(pushOf('refs/heads/main', head), 'push');
  checkSignatures(push);
  const p = push.json as {
    before: string;
    commits: {
      id: string;
      message: string;
      added: string[];
      modified: string[];
      removed: string[];
      url: string;
    }[];
    total_commits: number;
    head_commit: { id: string };
    repository: { full_name: string };
    pusher: { login: string };
    sender: { login: string };
  };
  expect(p.before).toBe('0'.repeat(40));
  expect(p.commits.map((c) => c.id)).toEqual(git(src, ['log', '--format=%H']).trim().split('\n'));
  expect(p.total_commits).toBe(3);
  expect(p.head_commit.id).toBe(head);
  expect(p.commits[0].message).toBe('third\n\nwith a body\n');
  expect(p.commits[0].modified).toEqual(['a.txt']);
  expect(p.commits[1].added).toEqual(['b.txt']);
  expect(p.commits[0].url).toBe(`${base}/${owner.username}/${repo}/commit/${head}`);
  expect(p.repository.full_name).toBe(`${owner.username}/${repo}`);
  expect(p.pusher.login).toBe(owner.username);
  expect(p.sender.login).toBe(owner.username);
  const created = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'create'),
    'create',
  );
  checkSignatures(created);
  expect(created.json).toMatchObject({ ref: 'main', ref_type: 'branch', sha: head });

  // A second push lists only what it brings (git log old..new), and compares old with new.
  commit(src, 'c.txt', 'three\n', 'fourth');
  commit(src, 'b.txt', '', 'fifth');
  await gitAsync(src, ['push', '-q', url, 'main']);
  const head2 = git(src, ['rev-parse', 'HEAD']).trim();
  const push2 = (await hooks.waitFor(pushOf('refs/heads/main', head2), 'second push')).json as typeof p & {
    compare_url: string;
  };
  expect(push2.before).toBe(head);
  expect(push2.commits.map((c) => c.id)).toEqual(
    git(src, ['log', '--format=%H', `${head}..${head2}`])
      .trim()
      .split('\n'),
  );
  expect(push2.total_commits).toBe(2);
  expect(push2.commits[0].modified).toEqual(['b.txt']);
  expect(push2.compare_url).toBe(`${base}/${owner.username}/${repo}/compare/${head}...${head2}`);

  // A branch made and deleted: create, then delete, payloads.
  await gitAsync(src, ['push', '-q', url, 'main:refs/heads/topic']);
  await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'create' && r.json.ref === 'topic'),
    'create topic',
  );
  await gitAsync(src, ['push', '-q', url, ':refs/heads/topic']);
  const deleted = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'delete'),
    'delete',
  );
  checkSignatures(deleted);
  expect(deleted.json).toMatchObject({ ref: 'topic', ref_type: 'branch', pusher_type: 'user' });
  // The new branch brought no commit the default branch lacks.
  const topicPush = await hooks.waitFor(pushOf('refs/heads/topic', head2), 'push topic');
  expect(topicPush.json.commits).toEqual([]);
  expect((topicPush.json.head_commit as { id: string }).id).toBe(head2);
});

test('a branch filter lets only matching branches through, and events not subscribed to are not sent', async () => {
  const repo = await newRepo();
  const filtered = await receiver();
  const all = await receiver();
  await addHook(repo, filtered.url, { events: ['push'], branch_filter: 'release/{1,2}*' });
  await addHook(repo, all.url, { events: ['push'] });
  const src = join(work, repo);
  git(work, ['init', '-q', '-b', 'main', src]);
  commit(src, 'a.txt', 'a\n', 'one');
  const url = authUrl(base, owner, owner.username, repo);
  const head = git(src, ['rev-parse', 'HEAD']).trim();
  await gitAsync(src, ['push', '-q', url, 'main', 'main:refs/heads/release/1.0']);
  // The unfiltered hook hears both; once it has, the filtered one has had its chance too.
  await all.waitFor(pushOf('refs/heads/release/1.0', head), 'release push (unfiltered)');
  await all.waitFor(pushOf('refs/heads/main', head), 'main push (unfiltered)');
  await filtered.waitFor(pushOf('refs/heads/release/1.0', head), 'release push (filtered)');
  expect(filtered.received.map((r) => r.json.ref)).toEqual(['refs/heads/release/1.0']);
  // Only push was asked for: no create event came.
  expect(all.events('create')).toEqual([]);
});

test('issues, comments and pull requests opened through the API are delivered', async () => {
  const repo = await newRepo();
  const hooks = await receiver();
  await addHook(repo, hooks.url, { events: ['issues', 'issue_comment', 'pull_request'] });
  const path = `/api/v1/repos/${owner.username}/${repo}`;
  const issue = await call<{ number: number }>(base, 'POST', `${path}/issues`, {
    auth: auth(),
    json: { title: 'Hooks hear this', body: 'text' },
  });
  expect(issue.status).toBe(201);
  const opened = await hooks.waitFor((l) => l.find((r) => r.headers['x-gitea-event'] === 'issues'), 'issues');
  checkSignatures(opened);
  expect(opened.json).toMatchObject({
    action: 'opened',
    number: issue.body.number,
    issue: { title: 'Hooks hear this', body: 'text' },
    sender: { login: owner.username },
  });
  expect(
    (
      await call(base, 'POST', `${path}/issues/${issue.body.number}/comments`, {
        auth: auth(),
        json: { body: 'hi' },
      })
    ).status,
  ).toBe(201);
  const comment = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'issue_comment'),
    'issue_comment',
  );
  expect(comment.json).toMatchObject({ action: 'created', comment: { body: 'hi' }, is_pull: false });
  expect(
    (
      await call(base, 'PATCH', `${path}/issues/${issue.body.number}`, {
        auth: auth(),
        json: { state: 'closed' },
      })
    ).status,
  ).toBe(201);
  await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'issues' && r.json.action === 'closed'),
    'issues closed',
  );

  const src = join(work, repo);
  git(work, ['init', '-q', '-b', 'main', src]);
  commit(src, 'a.txt', 'a\n', 'one');
  const url = authUrl(base, owner, owner.username, repo);
  await gitAsync(src, ['push', '-q', url, 'main']);
  commit(src, 'b.txt', 'b\n', 'two');
  await gitAsync(src, ['push', '-q', url, 'HEAD:refs/heads/feature']);
  const pr = await call<{ number: number }>(base, 'POST', `${path}/pulls`, {
    auth: auth(),
    json: { title: 'A change', head: 'feature', base: 'main' },
  });
  expect(pr.status).toBe(201);
  const pull = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'pull_request'),
    'pull',
  );
  checkSignatures(pull);
  expect(pull.json).toMatchObject({
    action: 'opened',
    number: pr.body.number,
    pull_request: { title: 'A change' },
  });
  // A push to the head branch synchronizes it; the merge closes it, merged.
  commit(src, 'c.txt', 'c\n', 'three');
  await gitAsync(src, ['push', '-q', url, 'HEAD:refs/heads/feature']);
  const head = git(src, ['rev-parse', 'HEAD']).trim();
  const sync = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'pull_request' && r.json.action === 'synchronized'),
    'pull_request synchronized',
  );
  expect(sync.json).toMatchObject({
    number: pr.body.number,
    commit_id: head,
    pull_request: { head: { sha: head } },
  });
  const merge = await call(base, 'POST', `${path}/pulls/${pr.body.number}/merge`, {
    auth: auth(),
    json: { Do: 'merge' },
  });
  expect(merge.status, JSON.stringify(merge.body)).toBe(200);
  const closed = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'pull_request' && r.json.action === 'closed'),
    'pull_request closed',
  );
  expect(closed.json).toMatchObject({ number: pr.body.number, pull_request: { merged: true } });
  // The pull request's own issue events are pull_request events, not issues.
  expect(hooks.events('issues').length).toBe(2);
});

test('a commit status and a review are delivered as status and pull_request_review', async () => {
  const repo = await newRepo();
  const hooks = await receiver();
  // Only these two: the push and pull request below must not reach this receiver.
  await addHook(repo, hooks.url, { events: ['status', 'pull_request_review'] });
  const path = `/api/v1/repos/${owner.username}/${repo}`;
  const src = join(work, `${repo}-ci`);
  git(work, ['init', '-q', '-b', 'main', src]);
  commit(src, 'a.txt', 'a\n', 'one');
  const url = authUrl(base, owner, owner.username, repo);
  await gitAsync(src, ['push', '-q', url, 'main']);
  commit(src, 'b.txt', 'b\n', 'two');
  await gitAsync(src, ['push', '-q', url, 'HEAD:refs/heads/feature']);
  const sha = git(src, ['rev-parse', 'HEAD']).trim();

  const posted = await call(base, 'POST', `${path}/statuses/${sha}`, {
    auth: auth(),
    json: {
      state: 'success',
      context: 'ci/build',
      description: 'green',
      target_url: 'http://127.0.0.1/ci/1',
    },
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  const status = await hooks.waitFor((l) => l.find((r) => r.headers['x-gitea-event'] === 'status'), 'status');
  checkSignatures(status);
  expect(status.json).toMatchObject({
    sha,
    state: 'success',
    context: 'ci/build',
    description: 'green',
    target_url: 'http://127.0.0.1/ci/1',
    commit: { id: sha },
    repository: { full_name: `${owner.username}/${repo}` },
    sender: { login: owner.username },
  });

  const pr = await call<{ number: number }>(base, 'POST', `${path}/pulls`, {
    auth: auth(),
    json: { title: 'Reviewed', head: 'feature', base: 'main' },
  });
  expect(pr.status).toBe(201);
  const review = await call(base, 'POST', `${path}/pulls/${pr.body.number}/reviews`, {
    auth: auth(),
    json: { event: 'COMMENT', body: 'looks fine so far' },
  });
  expect(review.status, JSON.stringify(review.body)).toBe(200);
  const reviewed = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'pull_request_review'),
    'pull_request_review',
  );
  checkSignatures(reviewed);
  expect(reviewed.json).toMatchObject({
    action: 'reviewed',
    number: pr.body.number,
    commit_id: sha,
    pull_request: { title: 'Reviewed' },
    review: { type: 'pull_request_review_comment', content: 'looks fine so far' },
  });
  expect(hooks.events('push')).toEqual([]);
  expect(hooks.events('pull_request')).toEqual([]);
});

test('releases send release events (published, updated, deleted) and a created tag sends create', async () => {
  const repo = await newRepo();
  const hooks = await receiver();
  await addHook(repo, hooks.url, { events: ['release', 'create'] });
  const path = `/api/v1/repos/${owner.username}/${repo}/releases`;
  const src = join(work, `${repo}-rel`);
  git(work, ['init', '-q', '-b', 'main', src]);
  commit(src, 'a.txt', 'a\n', 'one');
  await gitAsync(src, ['push', '-q', authUrl(base, owner, owner.username, repo), 'main']);
  const head = git(src, ['rev-parse', 'HEAD']).trim();
  // A draft is silent and makes no tag; publishing it creates the tag and announces both.
  const draft = await call<{ id: number }>(base, 'POST', path, {
    auth: auth(),
    json: { tag_name: 'v1.0', name: 'First', body: 'notes', draft: true },
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const published = await call(base, 'PATCH', `${path}/${draft.body.id}`, {
    auth: auth(),
    json: { draft: false },
  });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  const release = (action: string) => (l: ReceivedHook[]) =>
    l.find((r) => r.headers['x-gitea-event'] === 'release' && r.json.action === action);
  const pub = await hooks.waitFor(release('published'), 'release published');
  checkSignatures(pub);
  expect(pub.json).toMatchObject({
    action: 'published',
    release: { id: draft.body.id, tag_name: 'v1.0', name: 'First', body: 'notes', draft: false },
    repository: { full_name: `${owner.username}/${repo}` },
    sender: { login: owner.username },
  });
  const created = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'create' && r.json.ref_type === 'tag'),
    'create of the tag',
  );
  checkSignatures(created);
  expect(created.json).toMatchObject({ ref: 'v1.0', ref_type: 'tag', sha: head });

  const edited = await call(base, 'PATCH', `${path}/${draft.body.id}`, {
    auth: auth(),
    json: { name: 'First, renamed' },
  });
  expect(edited.status).toBe(200);
  const upd = await hooks.waitFor(release('updated'), 'release updated');
  expect(upd.json).toMatchObject({
    action: 'updated',
    release: { name: 'First, renamed', tag_name: 'v1.0' },
  });
  expect((await call(base, 'DELETE', `${path}/${draft.body.id}`, { auth: auth() })).status).toBe(204);
  const del = await hooks.waitFor(release('deleted'), 'release deleted');
  checkSignatures(del);
  expect(del.json).toMatchObject({ action: 'deleted', release: { id: draft.body.id, tag_name: 'v1.0' } });
  // A release on the existing tag creates no tag; a draft deleted is silent.
  const again = await call<{ id: number }>(base, 'POST', path, { auth: auth(), json: { tag_name: 'v1.0' } });
  expect(again.status).toBe(201);
  const other = await call<{ id: number }>(base, 'POST', path, {
    auth: auth(),
    json: { tag_name: 'v2.0', draft: true },
  });
  expect((await call(base, 'DELETE', `${path}/${other.body.id}`, { auth: auth() })).status).toBe(204);
  await hooks.waitFor(
    (l) =>
      l.find((r) => r.json.action === 'published' && (r.json.release as { id: number }).id === again.body.id),
    'second release published',
  );
  const actions = hooks.events('release').map((r) => r.json.action);
  expect(actions.sort()).toEqual(['deleted', 'published', 'published', 'updated']);
  expect(
    hooks
      .events('create')
      .map((r) => String(r.json.ref))
      .sort(),
  ).toEqual(['main', 'v1.0']);
});

test('without ALLOWED_HOST_LIST (external only), loopback and private hook URLs are refused', async () => {
  const server = await startServer({ env: { ALLOWED_HOST_LIST: '' } });
  try {
    const user = await createUser(server.url, 'hooks-ext');
    const repo = uniqueName('ext');
    await createRepo(server.url, user, repo);
    const path = `/api/v1/repos/${user.username}/${repo}/hooks`;
    const create = (url: string) =>
      call<{ message: string }>(server.url, 'POST', path, {
        auth: asToken(user.token),
        json: { type: 'gitea', config: { url, content_type: 'json' }, events: ['push'] },
      });
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost/hook',
      'http://10.0.0.1/',
      'http://[::1]/',
    ]) {
      const r = await create(url);
      expect(r.status, url).toBe(422);
      expect(r.body.message).toContain('allowed host list');
    }
    // Positive control: a public address is allowed there.
    expect((await create('http://example.com/hook')).status).toBe(201);
  } finally {
    await server.stop();
  }
});

test('a hook URL the server may not reach is refused at creation (422), nothing saved', async () => {
  const repo = await newRepo();
  const hooks = await receiver();
  const path = `/api/v1/repos/${owner.username}/${repo}/hooks`;
  const refused = [
    { config: { url: 'http://10.0.0.1/hook' }, events: ['push'] },
    { config: { url: 'http://example.com/hook' }, events: ['push'] },
    { config: { url: 'http://169.254.169.254/latest' }, events: ['push'] },
    { config: { url: 'ftp://127.0.0.1/hook' }, events: ['push'] },
    { config: { url: 'not a url' }, events: ['push'] },
    { config: { url: hooks.url }, events: ['push', 'nonsense'] },
    { config: { url: hooks.url, secret: 'x'.repeat(256) }, events: ['push'] },
    { config: { url: hooks.url }, events: ['push'], branch_filter: 'release/{1,2' },
    { config: { url: hooks.url, content_type: 'form' }, events: ['push'] },
    { type: 'slack', config: { url: hooks.url }, events: ['push'] },
  ];
  for (const json of refused) {
    const r = await call<{ message: string }>(base, 'POST', path, { auth: auth(), json });
    expect(r.status, JSON.stringify(json)).toBe(422);
    expect(r.body.message.length).toBeGreaterThan(0);
  }
  const host = await call<{ message: string }>(base, 'POST', path, { auth: auth(), json: refused[0] });
  expect(host.body.message).toContain('10.0.0.1');
  // Positive control: the same request to the loopback receiver is accepted.
  const ok = await call<Record<string, unknown>>(base, 'POST', path, {
    auth: auth(),
    json: {
      type: 'gitea',
      config: { url: hooks.url, content_type: 'json', secret: SECRET },
      events: ['push'],
    },
  });
  expect(ok.status).toBe(201);
  expect(ok.body).toMatchObject({
    type: 'gitea',
    config: { url: hooks.url, content_type: 'json' },
    events: ['push'],
    active: true,
  });
  expect(JSON.stringify(ok.body)).not.toContain(SECRET);
  const list = await call<Record<string, unknown>[]>(base, 'GET', path, { auth: auth() });
  expect(list.body.length).toBe(1);
  expect(JSON.stringify(list.body)).not.toContain(SECRET);
  // An edit to a refused URL is refused too, and leaves the hook as it was.
  const edit = await call(base, 'PATCH', `${path}/${ok.body.id}`, {
    auth: auth(),
    json: { config: { url: 'http://192.168.1.1/' } },
  });
  expect(edit.status).toBe(422);
  const edited = await call(base, 'PATCH', `${path}/${ok.body.id}`, {
    auth: auth(),
    json: { events: ['push', 'issues'], active: false },
  });
  expect(edited.status).toBe(200);
  expect(edited.body).toMatchObject({
    config: { url: hooks.url },
    events: ['push', 'issues'],
    active: false,
  });
  expect((await call(base, 'DELETE', `${path}/${ok.body.id}`, { auth: auth() })).status).toBe(204);
  expect((await call(base, 'GET', `${path}/${ok.body.id}`, { auth: auth() })).status).toBe(404);
});

test('a receiver that fails twice gets the third attempt; each attempt is in the delivery log', async () => {
  const repo = await newRepo();
  const hooks = await receiver([500, 503]);
  const hook = await addHook(repo, hooks.url, { events: ['push'] });
  const path = `/api/v1/repos/${owner.username}/${repo}/hooks`;
  const src = join(work, repo);
  git(work, ['init', '-q', '-b', 'main', src]);
  commit(src, 'a.txt', 'a\n', 'one');
  await gitAsync(src, ['push', '-q', authUrl(base, owner, owner.username, repo), 'main']);
  type Delivery = { id: number; guid: string; status: string; attempts: number; status_code: number | null };
  const log = async () =>
    (await call<Delivery[]>(base, 'GET', `${path}/${hook.id}/deliveries`, { auth: auth() })).body;
  const logged = (attempts: number): Promise<Delivery> =>
    waitFor(`the delivery attempted ${attempts} times`, async () => {
      const d = (await log())[0];
      return d && d.attempts >= attempts ? d : undefined;
    });
  const first = await logged(1);
  expect(first).toMatchObject({ status: 'pending', attempts: 1, status_code: 500 });
  // Nothing is due yet: a run now sends nothing.
  const notYet = await call<{ attempted: number }>(base, 'POST', `${path}/deliver-due`, { auth: auth() });
  expect(notYet.body.attempted).toBe(0);
  const later = (hours: number) => ({
    'X-Gitflare-Test-Now': new Date(Date.now() + hours * 3_600_000).toISOString(),
  });
  const run = (hours: number) =>
    call<{ attempted: number }>(base, 'POST', `${path}/deliver-due`, { auth: auth(), headers: later(hours) });
  expect((await run(2)).body.attempted).toBe(1);
  expect(await logged(2)).toMatchObject({ status: 'pending', attempts: 2, status_code: 503 });
  expect((await run(48)).body.attempted).toBe(1);
  const third = await logged(3);
  expect(third).toMatchObject({ status: 'delivered', attempts: 3, status_code: 200 });
  expect(hooks.received.length).toBe(3);
  // The same delivery each time, with the same id and signed body.
  expect(new Set(hooks.received.map((r) => r.headers['x-gitea-delivery']))).toEqual(new Set([first.guid]));
  for (const r of hooks.received) checkSignatures(r);
  const one = await call<{ request: { payload: string }; response: { body: string } }>(
    base,
    'GET',
    `${path}/${hook.id}/deliveries/${first.id}`,
    { auth: auth() },
  );
  expect(one.body.response.body).toBe('thanks');
  expect(one.body.request.payload).toBe(hooks.received[2].body);
  // Redelivery sends it once more.
  const again = await call(base, 'POST', `${path}/${hook.id}/deliveries/${first.id}/attempts`, {
    auth: auth(),
  });
  expect(again.status).toBe(202);
  await hooks.waitFor((l) => l[3], 'redelivery');
});

test('a push of 61 refs delivers every push to both hooks; new branches list only what the default branch lacks', async () => {
  const repo = await newRepo();
  const [one, two] = [await receiver(), await receiver()];
  const [hookOne] = [
    await addHook(repo, one.url, { events: ['push'] }),
    await addHook(repo, two.url, { events: ['push'] }),
  ];
  const src = join(work, repo);
  git(work, ['init', '-q', '-b', 'main', src]);
  for (let i = 0; i < 10; i++) commit(src, 'a.txt', `${i}\n`, `main ${i}`);
  const tree = git(src, ['rev-parse', 'HEAD^{tree}']).trim();
  // 15 branches at commits of main (nothing of their own), 15 with one commit of their own off
  // main, 30 tags: with main, 61 refs (Gitea sends one push per ref, tags too).
  const own = new Map<string, string>();
  for (let i = 0; i < 15; i++) {
    git(src, ['branch', `at/${i}`, `main~${i % 10}`]);
    const parent = git(src, ['rev-parse', `main~${i % 10}`]).trim();
    const tip = git(src, ['commit-tree', tree, '-p', parent, '-m', `topic ${i}`]).trim();
    git(src, ['branch', `topic/${i}`, tip]);
    own.set(`refs/heads/topic/${i}`, tip);
  }
  for (let i = 0; i < 30; i++) git(src, ['tag', `t${i}`, `main~${i % 10}`]);
  const refs = git(src, ['for-each-ref', '--format=%(refname)']).trim().split('\n');
  expect(refs).toHaveLength(61);
  const url = authUrl(base, owner, owner.username, repo);
  await gitAsync(src, ['push', '-q', url, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*']);
  const pushedRefs = (r: HookReceiver) => r.events('push').map((d) => d.json.ref as string);
  for (const [name, r] of [
    ['first', one],
    ['second', two],
  ] as const)
    await waitFor(`61 push deliveries to the ${name} hook`, () => r.events('push').length >= 61, {
      timeoutMs: 120_000,
      detail: () => `${r.events('push').length} arrived`,
    });
  expect(pushedRefs(one).sort()).toEqual([...refs].sort());
  expect(pushedRefs(two).sort()).toEqual([...refs].sort());
  const payload = (ref: string) =>
    one.events('push').find((d) => d.json.ref === ref)?.json as {
      commits: { id: string }[];
      total_commits: number;
      head_commit: { id: string };
    };
  // A branch at a commit of main brings none; one of its own lists that one; main lists all 10.
  expect(payload('refs/heads/at/3')).toMatchObject({ commits: [], total_commits: 0 });
  expect(payload('refs/heads/at/3').head_commit.id).toBe(git(src, ['rev-parse', 'main~3']).trim());
  const topic = own.get('refs/heads/topic/4') as string;
  expect(payload('refs/heads/topic/4').commits.map((c) => c.id)).toEqual([topic]);
  expect(payload('refs/heads/main').total_commits).toBe(10);
  expect(payload('refs/tags/t7')).toMatchObject({
    commits: [],
    head_commit: { id: git(src, ['rev-parse', 'main~7']).trim() },
  });

  // An update of one branch lists what it brought; the log keeps each hook's last 20, all sent.
  commit(src, 'b.txt', 'b\n', 'after');
  await gitAsync(src, ['push', '-q', url, 'main']);
  const head = git(src, ['rev-parse', 'main']).trim();
  const update = (await one.waitFor(pushOf('refs/heads/main', head), 'update of main')).json as {
    commits: { id: string; added: string[] }[];
  };
  expect(update.commits.map((c) => [c.id, c.added])).toEqual([[head, ['b.txt']]]);
  const log = `/api/v1/repos/${owner.username}/${repo}/hooks/${hookOne.id}/deliveries`;
  const kept = await waitFor('the delivery log trimmed to 20, all delivered', async () => {
    const r = await call<{ status: string }[]>(base, 'GET', log, { auth: auth() });
    return r.body.length === 20 && r.body.every((d) => d.status === 'delivered') && r.body;
  });
  expect(kept).toHaveLength(20);
});

test('the test delivery sends a push payload of the default branch tip', async () => {
  const repo = await newRepo();
  const hooks = await receiver();
  const hook = await addHook(repo, hooks.url, { events: ['issues'] });
  const src = join(work, repo);
  git(work, ['init', '-q', '-b', 'main', src]);
  commit(src, 'a.txt', 'a\n', 'only');
  await gitAsync(src, ['push', '-q', authUrl(base, owner, owner.username, repo), 'main']);
  const head = git(src, ['rev-parse', 'HEAD']).trim();
  const r = await call(base, 'POST', `/api/v1/repos/${owner.username}/${repo}/hooks/${hook.id}/tests`, {
    auth: auth(),
  });
  expect(r.status).toBe(204);
  const test = await hooks.waitFor((l) => l.find((x) => x.headers['x-gitea-event'] === 'push'), 'test push');
  checkSignatures(test);
  expect(test.json).toMatchObject({ ref: 'refs/heads/main', after: head, head_commit: { id: head } });
});

describe('authorization of the hooks API', () => {
  type Who = 'anonymous' | 'stranger' | 'reader' | 'writer' | 'admin' | 'owner' | 'readToken';
  const EXPECTED: Record<'public' | 'private', Record<Who, { list: number; create: number; run: number }>> = {
    public: {
      anonymous: { list: 401, create: 401, run: 401 },
      stranger: { list: 403, create: 403, run: 403 },
      reader: { list: 403, create: 403, run: 403 },
      writer: { list: 403, create: 403, run: 403 },
      admin: { list: 200, create: 201, run: 200 },
      owner: { list: 200, create: 201, run: 200 },
      readToken: { list: 403, create: 403, run: 403 },
    },
    private: {
      anonymous: { list: 404, create: 404, run: 404 },
      stranger: { list: 404, create: 404, run: 404 },
      reader: { list: 403, create: 403, run: 403 },
      writer: { list: 403, create: 403, run: 403 },
      admin: { list: 200, create: 201, run: 200 },
      owner: { list: 200, create: 201, run: 200 },
      readToken: { list: 403, create: 403, run: 403 },
    },
  };
  const auths = {} as Record<Who, Auth>;
  const repos = {} as Record<'public' | 'private', string>;
  let hookUrl = '';

  beforeAll(async () => {
    const names = ['stranger', 'reader', 'writer', 'admin'] as const;
    const made: TestUser[] = await Promise.all(names.map((n) => signUp(base, `hk-${n}`)));
    names.forEach((n, i) => {
      auths[n] = asCookie(made[i]);
    });
    auths.anonymous = null;
    auths.owner = auth();
    auths.readToken = asToken((await createToken(base, owner, { scopes: ['read:repository'] })).sha1);
    hookUrl = (await receiver()).url;
    for (const visibility of ['public', 'private'] as const) {
      const repo = await createRepo(base, owner, uniqueName(`hk-${visibility}`), {
        private: visibility === 'private',
      });
      repos[visibility] = repo.full_name;
      for (const [i, permission] of (['read', 'write', 'admin'] as const).entries())
        await grantOn(base, repo.full_name, auth(), made[i + 1], permission);
    }
  });

  for (const visibility of ['public', 'private'] as const) {
    for (const who of Object.keys(EXPECTED.public) as Who[]) {
      test(`${visibility} repository, ${who}`, async () => {
        const path = `/api/v1/repos/${repos[visibility]}/hooks`;
        // Browsers send Origin with a session's writes (see the cross-site guard).
        const headers = { Origin: base };
        const list = await call(base, 'GET', path, { auth: auths[who], headers });
        const create = await call(base, 'POST', path, {
          auth: auths[who],
          headers,
          json: { type: 'gitea', config: { url: hookUrl, content_type: 'json' }, events: ['push'] },
        });
        const run = await call(base, 'POST', `${path}/deliver-due`, { auth: auths[who], headers });
        expect({ list: list.status, create: create.status, run: run.status }).toEqual(
          EXPECTED[visibility][who],
        );
      });
    }
  }
});
