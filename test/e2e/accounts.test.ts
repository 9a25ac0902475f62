// Accounts, sessions, two-factor, tokens, repositories and collaborators through the real server.
import { describe, expect, test } from 'vitest';
import {
  asCookie,
  asPassword,
  asToken,
  basicAuth,
  call,
  cookiesOf,
  createRepo,
  createToken,
  type RepoJson,
  signUp,
  uniqueName,
} from '../helpers/accounts';
import { serverUrl } from '../helpers/server';
import { secretFromUri, totp } from '../helpers/totp';

const base = serverUrl();
const origin = { origin: base };

describe('accounts and sessions', () => {
  test('sign-up sets a session cookie that identifies the user', async () => {
    const u = await signUp(base, 'acct');
    const me = await call(base, 'GET', '/api/v1/user', { auth: asCookie(u) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: u.id,
      login: u.username,
      email: u.email,
      full_name: `Test ${u.username}`,
    });
    const anon = await call(base, 'GET', '/api/v1/user');
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ message: expect.any(String) });
  });

  test('sign-in by email and by username; a wrong password is 401 with no cookie', async () => {
    const u = await signUp(base, 'signin');
    const ok = await fetch(`${base}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    expect(ok.status).toBe(200);
    const cookie = cookiesOf(ok).find((c) => c.includes('session_token'))!;
    expect(cookie).toBeTruthy();
    expect((await call(base, 'GET', '/api/v1/user', { auth: { cookie } })).body).toMatchObject({
      login: u.username,
    });

    const byName = await call(base, 'POST', '/api/auth/sign-in/username', {
      json: { username: u.username.toUpperCase(), password: u.password },
    });
    expect(byName.status).toBe(200);

    const bad = await fetch(`${base}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: 'not-the-password' }),
    });
    expect(bad.status).toBe(401);
    expect(cookiesOf(bad).filter((c) => /session_token=[^;]+/.test(c) && !c.endsWith('='))).toEqual([]);
    expect(await bad.json()).toMatchObject({ message: expect.any(String) });
  });

  test('sign-out ends the session', async () => {
    const u = await signUp(base, 'signout');
    const out = await call(base, 'POST', '/api/auth/sign-out', {
      auth: asCookie(u),
      headers: origin,
      json: {},
    });
    expect(out.status).toBe(200);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asCookie(u) })).status).toBe(401);
  });

  test('password change: the old password stops working, the new one works', async () => {
    const u = await signUp(base, 'pwchange');
    const r = await call(base, 'POST', '/api/auth/change-password', {
      auth: asCookie(u),
      headers: origin,
      json: { currentPassword: u.password, newPassword: 'a-brand-new-password' },
    });
    expect(r.status).toBe(200);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asPassword(u) })).status).toBe(401);
    const fresh = await call(base, 'GET', '/api/v1/user', {
      auth: { authorization: basicAuth(u.username, 'a-brand-new-password') },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ login: u.username });
  });

  test('two-factor (TOTP): enabling it makes sign-in ask for a code and refuses Basic passwords', async () => {
    const u = await signUp(base, 'totp');
    const en = await call<{ totpURI: string; backupCodes: string[] }>(
      base,
      'POST',
      '/api/auth/two-factor/enable',
      {
        auth: asCookie(u),
        headers: origin,
        json: { password: u.password },
      },
    );
    expect(en.status).toBe(200);
    expect(en.body.totpURI).toMatch(/^otpauth:\/\/totp\//);
    const secret = secretFromUri(en.body.totpURI);
    const verify = await call(base, 'POST', '/api/auth/two-factor/verify-totp', {
      auth: asCookie(u),
      headers: origin,
      json: { code: totp(secret) },
    });
    expect(verify.status).toBe(200);

    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject({ twoFactorRedirect: true });
    const pending = cookiesOf(signIn).filter((c) => !c.endsWith('='));
    expect(pending.some((c) => /^better-auth\.session_token=/.test(c))).toBe(false);

    const second = await fetch(`${base}/api/auth/two-factor/verify-totp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: pending.join('; '), ...origin },
      body: JSON.stringify({ code: totp(secret) }),
    });
    expect(second.status).toBe(200);
    const session = cookiesOf(second).find((c) => /^better-auth\.session_token=./.test(c));
    expect(session).toBeTruthy();
    expect((await call(base, 'GET', '/api/v1/user', { auth: { cookie: session! } })).body).toMatchObject({
      login: u.username,
    });

    // With two-factor on, a password alone is not enough for the API or git: use a token.
    expect((await call(base, 'GET', '/api/v1/user', { auth: asPassword(u) })).status).toBe(401);
    const tok = await call<{ sha1: string }>(base, 'POST', `/api/v1/users/${u.username}/tokens`, {
      auth: { cookie: session! },
      json: { name: 'after-2fa' },
    });
    expect(tok.status).toBe(201);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asToken(tok.body.sha1) })).status).toBe(200);
  });
});

describe('personal access tokens', () => {
  test('created with Basic username:password, shown once, accepted in all four header forms', async () => {
    const u = await signUp(base, 'tok');
    const t = await createToken(base, u, { name: 'ci' });
    expect(t.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(t.token_last_eight).toBe(t.sha1.slice(-8));
    expect(t.scopes).toEqual(['all']);
    expect(t.name).toBe('ci');

    const forms = [
      `token ${t.sha1}`,
      `Bearer ${t.sha1}`,
      basicAuth(u.username, t.sha1),
      basicAuth(u.username, u.password),
    ];
    for (const authorization of forms) {
      const me = await call(base, 'GET', '/api/v1/user', { auth: { authorization } });
      expect(me.status, authorization.split(' ')[0]).toBe(200);
      expect(me.body).toMatchObject({ login: u.username, id: u.id });
    }
    const wrong = await call(base, 'GET', '/api/v1/user', {
      auth: { authorization: `token ${'0'.repeat(40)}` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ message: expect.any(String) });
    const wrongPw = await call(base, 'POST', `/api/v1/users/${u.username}/tokens`, {
      auth: { authorization: basicAuth(u.username, 'nope-nope') },
      json: { name: 'x' },
    });
    expect(wrongPw.status).toBe(401);
  });

  test('list shows metadata and last use but never the secret; revoked tokens get 401', async () => {
    const u = await signUp(base, 'toklist');
    const a = await createToken(base, u, { name: 'alpha' });
    const b = await createToken(base, u, { name: 'beta', scopes: ['read:repository'] });
    await call(base, 'GET', '/api/v1/user', { auth: asToken(a.sha1) });

    const list = await call<Array<Record<string, unknown>>>(
      base,
      'GET',
      `/api/v1/users/${u.username}/tokens`,
      {
        auth: asPassword(u),
      },
    );
    expect(list.status).toBe(200);
    expect(list.body.map((t) => t.name)).toEqual(['alpha', 'beta']);
    expect(JSON.stringify(list.body)).not.toContain(a.sha1);
    expect(list.body[0]).toMatchObject({ id: a.id, token_last_eight: a.sha1.slice(-8), scopes: ['all'] });
    expect(list.body[0].last_used_at).toEqual(expect.any(String));
    expect(list.body[1]).toMatchObject({ scopes: ['read:repository'], last_used_at: null });

    const del = await call(base, 'DELETE', `/api/v1/users/${u.username}/tokens/${a.id}`, {
      auth: asCookie(u),
    });
    expect(del.status).toBe(204);
    const after = await call(base, 'GET', '/api/v1/user', { auth: asToken(a.sha1) });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ message: expect.any(String) });
    expect(
      (await call(base, 'GET', '/api/v1/user', { auth: { authorization: basicAuth(u.username, a.sha1) } }))
        .status,
    ).toBe(401);
    const again = await call(base, 'DELETE', `/api/v1/users/${u.username}/tokens/${a.id}`, {
      auth: asCookie(u),
    });
    expect(again.status).toBe(404);
    // Tokens do not manage tokens, and nobody manages another user's.
    const byToken = await call(base, 'GET', `/api/v1/users/${u.username}/tokens`, { auth: asToken(b.sha1) });
    expect(byToken.status).toBe(403);
    const other = await signUp(base, 'tokother');
    expect(
      (await call(base, 'GET', `/api/v1/users/${u.username}/tokens`, { auth: asPassword(other) })).status,
    ).toBe(403);
  });

  test('scopes limit what a token may do', async () => {
    const u = await signUp(base, 'scope');
    const repo = await createRepo(base, asPassword(u), 'secret-stuff', { private: true });
    const ro = await createToken(base, u, { scopes: ['read:repository'] });
    const userOnly = await createToken(base, u, { scopes: ['read:user'] });
    expect(
      (await call(base, 'GET', `/api/v1/repos/${repo.full_name}`, { auth: asToken(ro.sha1) })).status,
    ).toBe(200);
    const create = await call(base, 'POST', '/api/v1/user/repos', {
      auth: asToken(ro.sha1),
      json: { name: 'nope' },
    });
    expect(create.status, JSON.stringify(create.body)).toBe(403);
    const patch = await call(base, 'PATCH', `/api/v1/repos/${repo.full_name}`, {
      auth: asToken(ro.sha1),
      json: { description: 'x' },
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(403);
    // Without a repository scope a private repository is as invisible as to anyone.
    expect(
      (await call(base, 'GET', `/api/v1/repos/${repo.full_name}`, { auth: asToken(userOnly.sha1) })).status,
    ).toBe(404);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asToken(userOnly.sha1) })).status).toBe(200);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asToken(ro.sha1) })).status).toBe(403);
  });
});

describe('repositories', () => {
  test('create, read (any case), update, rename, list, search, delete', async () => {
    const u = await signUp(base, 'crud');
    const auth = asToken((await createToken(base, u)).sha1);
    const created = await createRepo(base, auth, 'Hello.World', { description: 'first' });
    expect(created).toMatchObject({
      name: 'Hello.World',
      full_name: `${u.username}/Hello.World`,
      description: 'first',
      private: false,
      empty: true,
      default_branch: 'main',
      clone_url: `${base}/${u.username}/Hello.World.git`,
      html_url: `${base}/${u.username}/Hello.World`,
      owner: { login: u.username },
    });
    expect(created.id).toEqual(expect.any(Number));

    const got = await call<RepoJson>(base, 'GET', `/api/v1/repos/${u.username.toUpperCase()}/hello.world`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: created.id, name: 'Hello.World' });

    const dup = await call(base, 'POST', '/api/v1/user/repos', { auth, json: { name: 'HELLO.world' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ message: expect.stringContaining('exists') });

    const patched = await call<RepoJson>(base, 'PATCH', `/api/v1/repos/${u.username}/Hello.World`, {
      auth,
      json: { description: 'second', private: true, default_branch: 'trunk' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ description: 'second', private: true, default_branch: 'trunk' });
    expect((await call(base, 'GET', `/api/v1/repos/${u.username}/Hello.World`)).status).toBe(404);

    await createRepo(base, auth, 'other');
    const clash = await call(base, 'PATCH', `/api/v1/repos/${u.username}/Hello.World`, {
      auth,
      json: { name: 'OTHER' },
    });
    expect(clash.status).toBe(409);

    const renamed = await call<RepoJson>(base, 'PATCH', `/api/v1/repos/${u.username}/Hello.World`, {
      auth,
      json: { name: 'greetings' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      id: created.id,
      name: 'greetings',
      clone_url: `${base}/${u.username}/greetings.git`,
    });
    expect((await call(base, 'GET', `/api/v1/repos/${u.username}/Hello.World`, { auth })).status).toBe(404);
    expect((await call(base, 'GET', `/api/v1/repos/${u.username}/greetings`, { auth })).status).toBe(200);

    const mine = await call<RepoJson[]>(base, 'GET', '/api/v1/user/repos', { auth });
    expect(mine.body.map((r) => r.name)).toEqual(['greetings', 'other']);
    const second = await call<RepoJson[]>(base, 'GET', '/api/v1/user/repos?limit=1&page=2', { auth });
    expect(second.body.map((r) => r.name)).toEqual(['other']);
    const publicList = await call<RepoJson[]>(base, 'GET', `/api/v1/users/${u.username}/repos`);
    expect(publicList.body.map((r) => r.name)).toEqual(['other']);
    const ownerList = await call<RepoJson[]>(base, 'GET', `/api/v1/users/${u.username}/repos`, { auth });
    expect(ownerList.body.map((r) => r.name)).toEqual(['greetings', 'other']);

    const search = await call<{ data: RepoJson[] }>(
      base,
      'GET',
      `/api/v1/repos/search?q=${u.username.slice(-8)}`,
    );
    expect(search.status).toBe(200);
    const anonSearch = await call<{ data: RepoJson[] }>(base, 'GET', '/api/v1/repos/search?q=greetings');
    expect(anonSearch.body.data.map((r) => r.full_name)).not.toContain(`${u.username}/greetings`);
    const ownSearch = await call<{ data: RepoJson[] }>(base, 'GET', '/api/v1/repos/search?q=greetings', {
      auth,
    });
    expect(ownSearch.body.data.map((r) => r.full_name)).toContain(`${u.username}/greetings`);

    const del = await call(base, 'DELETE', `/api/v1/repos/${u.username}/greetings`, { auth });
    expect(del.status).toBe(204);
    expect((await call(base, 'GET', `/api/v1/repos/${u.username}/greetings`, { auth })).status).toBe(404);
    // The name is free again.
    const recreated = await createRepo(base, auth, 'greetings');
    expect(recreated.id).not.toBe(created.id);
  });

  test('collaborators: grant, list, change, revoke', async () => {
    const owner = await signUp(base, 'own');
    const friend = await signUp(base, 'friend');
    const repo = await createRepo(base, asPassword(owner), uniqueName('shared'), { private: true });
    const path = `/api/v1/repos/${repo.full_name}`;
    expect((await call(base, 'GET', path, { auth: asCookie(friend) })).status).toBe(404);

    const put = await call(base, 'PUT', `${path}/collaborators/${friend.username}`, {
      auth: asPassword(owner),
      json: { permission: 'read' },
    });
    expect(put.status).toBe(204);
    const seen = await call<RepoJson & { permissions: Record<string, boolean> }>(base, 'GET', path, {
      auth: asCookie(friend),
    });
    expect(seen.status).toBe(200);
    expect(seen.body.permissions).toEqual({ admin: false, push: false, pull: true });
    const theirs = await call<RepoJson[]>(base, 'GET', '/api/v1/user/repos', { auth: asCookie(friend) });
    expect(theirs.body.map((r) => r.full_name)).toEqual([repo.full_name]);

    const list = await call<Array<Record<string, unknown>>>(base, 'GET', `${path}/collaborators`, {
      auth: asCookie(friend),
    });
    expect(list.body).toEqual([expect.objectContaining({ login: friend.username, role_name: 'read' })]);
    const perm = await call(base, 'GET', `${path}/collaborators/${friend.username}/permission`, {
      auth: asCookie(owner),
    });
    expect(perm.body).toMatchObject({ permission: 'read' });

    await call(base, 'PUT', `${path}/collaborators/${friend.username.toUpperCase()}`, {
      auth: asPassword(owner),
      json: { permission: 'admin' },
    });
    const perm2 = await call(base, 'GET', `${path}/collaborators/${friend.username}/permission`, {
      auth: asCookie(owner),
    });
    expect(perm2.body).toMatchObject({ permission: 'admin' });
    // An admin collaborator manages settings too.
    const edit = await call(base, 'PATCH', path, {
      auth: asCookie(friend),
      json: { description: 'by friend' },
    });
    expect(edit.status).toBe(200);

    const del = await call(base, 'DELETE', `${path}/collaborators/${friend.username}`, {
      auth: asPassword(owner),
    });
    expect(del.status).toBe(204);
    expect((await call(base, 'GET', path, { auth: asCookie(friend) })).status).toBe(404);
    expect((await call(base, 'GET', `${path}/collaborators`, { auth: asCookie(owner) })).body).toEqual([]);
    const ghost = await call(base, 'PUT', `${path}/collaborators/${uniqueName('nobody')}`, {
      auth: asPassword(owner),
      json: { permission: 'read' },
    });
    expect(ghost.status).toBe(404);
  });
});
