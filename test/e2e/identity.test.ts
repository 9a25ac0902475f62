// Identity against the real server: a login is the account's username everywhere (a display
// name is `full_name`, free text that never becomes a login or a link), commits the server makes
// carry a no-reply address and a well-formed author line, and a renamed account's old name stays
// its own, its repository URLs answering (web, API, git) for the new name.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import {
  asCookie,
  asToken,
  call,
  cookiesOf,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { git, gitTry, TempDirs } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const origin = { origin: base };
const dirs = new TempDirs();
afterAll(() => dirs.removeAll());

interface Json {
  [k: string]: unknown;
}

function signUpWith(fields: Record<string, string>) {
  const username = fields.username;
  return fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `Test ${username}`,
      email: `${username}@example.test`,
      password: `pw-${randomBytes(6).toString('hex')}`,
      ...fields,
    }),
  });
}

function updateUser(user: TestUser, json: Record<string, unknown>) {
  return call(base, 'POST', '/api/auth/update-user', { auth: asCookie(user), headers: origin, json });
}

/** The page's HTML as `user` sees it. */
async function page(user: TestUser | null, path: string): Promise<string> {
  const res = await fetch(`${base}${path}`, { headers: user ? { cookie: user.cookie } : {} });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** Every href of a page that leaves the site (another host, or a protocol-relative `//`). */
function offSiteLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)]
    .map((m) => m[1])
    .filter((h) => h.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(h) || h.includes('evil.example'));
}

async function collaborators(owner: TestUser, repo: string) {
  const r = await call<{ id: number; login: string }[]>(
    base,
    'GET',
    `/api/v1/repos/${owner.username}/${repo}/collaborators`,
    { auth: asCookie(owner) },
  );
  expect(r.status).toBe(200);
  return r.body.map((c) => ({ id: c.id, login: c.login }));
}

async function addCollaborator(owner: TestUser, repo: string, user: TestUser) {
  const r = await call(
    base,
    'PUT',
    `/api/v1/repos/${owner.username}/${repo}/collaborators/${user.username}`,
    {
      auth: asCookie(owner),
      headers: origin,
      json: { permission: 'write' },
    },
  );
  expect(r.status).toBe(204);
}

describe('logins are usernames', () => {
  test("sign-up refuses another name as displayUsername; a case variant of one's own is the login", async () => {
    const alice = await signUp(base, 'alice');
    for (const display of [alice.username, '/evil.example', `${alice.username} `]) {
      const username = uniqueName('mallory');
      const r = await signUpWith({ username, displayUsername: display });
      expect(r.status, display).toBe(400);
      expect(((await r.json()) as Json).message).toMatch(/displayUsername/);
      expect((await call(base, 'GET', `/api/v1/users/${username}`)).status).toBe(404);
    }
    // Positive control: only the case may differ, and the login then keeps it.
    const username = uniqueName('carol');
    const r = await signUpWith({ username, displayUsername: username.toUpperCase() });
    expect(r.status).toBe(200);
    const cookie = cookiesOf(r).find((c) => c.includes('session_token'))!;
    const me = await call(base, 'GET', '/api/v1/user', { auth: { cookie } });
    expect(me.body).toMatchObject({ login: username.toUpperCase() });
    // Usernames are unique ignoring case.
    expect((await signUpWith({ username: username.toUpperCase() })).status).toBe(409);
  });

  test('update-user cannot take a display name as login: API and pages show the username', async () => {
    const owner = await signUp(base, 'idowner');
    const alice = await signUp(base, 'alice');
    const mallory = await signUp(base, 'mallory');
    const token = (await createToken(base, mallory)).sha1;
    const repo = uniqueName('shared');
    await createRepo(base, { cookie: owner.cookie }, repo);
    await addCollaborator(owner, repo, alice);
    await addCollaborator(owner, repo, mallory);
    const repoApi = `/api/v1/repos/${owner.username}/${repo}`;
    const issue = await call<{ number: number }>(base, 'POST', `${repoApi}/issues`, {
      auth: asToken(token),
      json: { title: 'hello from mallory', body: 'hi' },
    });
    expect(issue.status).toBe(201);
    const n = issue.body.number;
    expect(
      (
        await call(base, 'POST', `${repoApi}/issues/${n}/comments`, {
          auth: asToken(token),
          json: { body: 'me' },
        })
      ).status,
    ).toBe(201);

    for (const display of [alice.username, alice.username.toUpperCase(), '/evil.example']) {
      const r = await updateUser(mallory, { displayUsername: display });
      expect(r.status, display).toBe(400);
    }
    // The free-text display name is allowed, and stays free text.
    expect((await updateUser(mallory, { name: '/evil.example' })).status).toBe(200);

    const me = await call(base, 'GET', '/api/v1/user', { auth: asToken(token) });
    expect(me.body).toMatchObject({
      id: mallory.id,
      login: mallory.username,
      email: mallory.email,
      full_name: '/evil.example',
    });
    const got = await call<{ user: { login: string } }>(base, 'GET', `${repoApi}/issues/${n}`);
    expect(got.body.user.login).toBe(mallory.username);
    const comments = await call<{ user: { login: string } }[]>(
      base,
      'GET',
      `${repoApi}/issues/${n}/comments`,
    );
    expect(comments.body.map((c) => c.user.login)).toEqual([mallory.username]);
    expect(await collaborators(owner, repo)).toEqual(
      expect.arrayContaining([
        { id: alice.id, login: alice.username },
        { id: mallory.id, login: mallory.username },
      ]),
    );

    const issuePage = await page(mallory, `/${owner.username}/${repo}/issues/${n}`);
    expect(issuePage).toContain(mallory.username);
    expect(issuePage).not.toContain(alice.username);
    for (const path of ['/', `/${mallory.username}`, `/${owner.username}/${repo}/issues/${n}`]) {
      expect(offSiteLinks(await page(mallory, path)), path).toEqual([]);
    }
  });

  test('removing a collaborator by the login the list shows removes that account', async () => {
    const owner = await signUp(base, 'idowner');
    const alice = await signUp(base, 'alice');
    const mallory = await signUp(base, 'mallory');
    const repo = uniqueName('team');
    await createRepo(base, { cookie: owner.cookie }, repo);
    await addCollaborator(owner, repo, alice);
    await addCollaborator(owner, repo, mallory);
    await updateUser(mallory, { displayUsername: alice.username });
    // The settings page's Remove button deletes `collaborators/{login}` with the listed login.
    const listed = (await collaborators(owner, repo)).find((c) => c.id === mallory.id)!;
    const del = await call(
      base,
      'DELETE',
      `/api/v1/repos/${owner.username}/${repo}/collaborators/${listed.login}`,
      { auth: asCookie(owner), headers: origin },
    );
    expect(del.status).toBe(204);
    expect(await collaborators(owner, repo)).toEqual([{ id: alice.id, login: alice.username }]);
    const settings = await page(owner, `/${owner.username}/${repo}/settings`);
    expect(settings).toContain(`data-login="${alice.username}"`);
    expect(settings).not.toContain(`data-login="${mallory.username}"`);
  });
});

describe('commits the server makes', () => {
  test('a merge commit carries the no-reply address and a clean author line; the email only when shown', async () => {
    const user = await signUp(base, 'merger');
    const token = (await createToken(base, user)).sha1;
    // A display name that would break an author line if copied as is.
    expect((await updateUser(user, { name: '  Eve <evil@example.com>\n"x" ' })).status).toBe(200);
    const repo = uniqueName('merges');
    await createRepo(base, { token }, repo);
    const url = new URL(`${base}/${user.username}/${repo}.git`);
    url.username = user.username;
    url.password = token;
    const work = dirs.make();
    git(work, ['init', '-q', '-b', 'main']);
    git(work, ['commit', '-q', '--allow-empty', '-m', 'base']);
    for (const b of ['one', 'two']) {
      git(work, ['checkout', '-q', '-b', b, 'main']);
      git(work, ['commit', '-q', '--allow-empty', '-m', b]);
    }
    git(work, ['push', '-q', url.toString(), 'main', 'one', 'two']);
    const repoApi = `/api/v1/repos/${user.username}/${repo}`;
    async function merge(head: string) {
      const pr = await call<{ number: number }>(base, 'POST', `${repoApi}/pulls`, {
        auth: asToken(token),
        json: { head, base: 'main', title: `merge ${head}` },
      });
      expect(pr.status).toBe(201);
      const m = await call(base, 'POST', `${repoApi}/pulls/${pr.body.number}/merge`, {
        auth: asToken(token),
        json: { Do: 'merge' },
      });
      expect(m.status, JSON.stringify(m.body)).toBe(200);
      const clone = dirs.make();
      git(clone, ['clone', '-q', url.toString(), '.']);
      const fsck = gitTry(clone, ['fsck', '--strict']);
      expect(fsck.code, fsck.stderr).toBe(0);
      return git(clone, ['cat-file', 'commit', 'HEAD']).split('\n');
    }

    const host = new URL(base).hostname;
    const noReply = `${user.id}+${user.username}@users.noreply.${host}`;
    const first = await merge('one');
    expect(first).toContainEqual(expect.stringMatching(/^author /));
    const author = first.find((l) => l.startsWith('author '));
    expect(author).toMatch(new RegExp(`^author Eve evil@example.com"x <${reEscape(noReply)}> \\d+ \\+0000$`));
    expect(first.join('\n')).not.toContain(user.email);
    const settings = await call(base, 'GET', '/api/v1/user/settings', { auth: asToken(token) });
    expect(settings.body).toMatchObject({ keep_email_private: true, hide_email: true });

    const shown = await call(base, 'PATCH', '/api/v1/user/settings', {
      auth: asToken(token),
      json: { keep_email_private: false },
    });
    expect(shown.body).toMatchObject({ keep_email_private: false });
    const second = await merge('two');
    expect(second.find((l) => l.startsWith('author '))).toMatch(
      new RegExp(`^author Eve evil@example.com"x <${reEscape(user.email)}> `),
    );
  });
});

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('renames', () => {
  test("a renamed account's old name stays its own and its repository URLs answer for the new one", async () => {
    const user = await signUp(base, 'renamer');
    const token = (await createToken(base, user)).sha1;
    const repo = 'proj';
    await createRepo(base, { token }, repo);
    const work = dirs.make();
    git(work, ['init', '-q', '-b', 'main']);
    git(work, ['commit', '-q', '--allow-empty', '-m', 'first']);
    const head = git(work, ['rev-parse', 'HEAD']).trim();
    const pushUrl = new URL(`${base}/${user.username}/${repo}.git`);
    pushUrl.username = user.username;
    pushUrl.password = token;
    git(work, ['push', '-q', pushUrl.toString(), 'main']);

    const old = user.username;
    const renamed = uniqueName('Renamed');
    expect((await updateUser(user, { username: renamed })).status).toBe(200);
    const me = await call(base, 'GET', '/api/v1/user', { auth: asToken(token) });
    expect(me.body).toMatchObject({ id: user.id, login: renamed });

    // Nobody else may take the old name, in any case, by sign-up or by rename.
    expect((await signUpWith({ username: old })).status).toBe(409);
    expect((await signUpWith({ username: old.toUpperCase() })).status).toBe(409);
    const other = await signUp(base, 'other');
    expect((await updateUser(other, { username: old })).status).toBe(409);
    expect((await updateUser(other, { username: uniqueName('free') })).status).toBe(200); // control
    expect((await call(base, 'GET', `/api/v1/users/${old}`)).status).toBe(404);

    // API: the old repository path answers for the account under its new name.
    const viaOld = await call(base, 'GET', `/api/v1/repos/${old}/${repo}`);
    expect(viaOld.status).toBe(200);
    expect(viaOld.body).toMatchObject({ full_name: `${renamed}/${repo}`, owner: { login: renamed } });
    // Web: old pages move to the new name.
    for (const path of [`/${old}`, `/${old}/${repo}`, `/${old}/${repo}/commits/main`]) {
      const r = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(r.status, path).toBe(301);
      expect(new URL(r.headers.get('location')!, base).pathname).toBe(path.replace(old, renamed));
    }
    expect(await page(null, `/${renamed}/${repo}`)).toContain(renamed);
    // Git: the old clone URL works.
    const clone = dirs.make();
    const cloned = gitTry(clone, ['clone', '-q', `${base}/${old}/${repo}.git`, '.']);
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(git(clone, ['rev-parse', 'HEAD']).trim()).toBe(head);

    // The account may take its old name back; the name it leaves is then kept for it.
    expect((await updateUser(user, { username: old })).status).toBe(200);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asToken(token) })).body).toMatchObject({
      login: old,
    });
    expect((await fetch(`${base}/${old}/${repo}`, { redirect: 'manual' })).status).toBe(200);
    expect((await signUpWith({ username: renamed })).status).toBe(409);
  });
});
