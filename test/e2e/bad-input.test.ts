// Bad input: each is refused with JSON {message} and the fitting status, never a 500.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  asPassword,
  asToken,
  basicAuth,
  call,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

let user: TestUser;
let token: string;

beforeAll(async () => {
  user = await signUp(base, 'bad');
  token = (await createToken(base, user)).sha1;
});

function expectError(r: { status: number; body: unknown; headers: Headers }, status: number, what: string) {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(status);
  expect(r.headers.get('content-type'), what).toContain('application/json');
  expect(r.body, what).toEqual({ message: expect.any(String) });
  expect(JSON.stringify(r.body), what).not.toMatch(/\bat .*\.(js|ts):\d+/);
}

describe('request bodies', () => {
  test('malformed JSON, non-object JSON and an empty body are 400', async () => {
    const auth = asToken(token);
    expectError(await call(base, 'POST', '/api/v1/user/repos', { auth, raw: '{"name": ' }), 400, 'truncated');
    expectError(await call(base, 'POST', '/api/v1/user/repos', { auth, raw: '[1,2]' }), 400, 'array');
    expectError(await call(base, 'POST', '/api/v1/user/repos', { auth, raw: '' }), 400, 'empty');
    expectError(await call(base, 'POST', '/api/v1/user/repos', { auth, raw: 'null' }), 400, 'null');
    const repo = await createRepo(base, auth, uniqueName('r'));
    expectError(
      await call(base, 'PATCH', `/api/v1/repos/${repo.full_name}`, { auth, raw: 'nope' }),
      400,
      'patch',
    );
  });

  test('an oversize body is 413 and the server keeps answering', async () => {
    const auth = asToken(token);
    const big = JSON.stringify({ name: 'x', description: 'y'.repeat(200_000) });
    expectError(await call(base, 'POST', '/api/v1/user/repos', { auth, raw: big }), 413, 'oversize');
    const after = await call(base, 'GET', '/api/v1/user', { auth });
    expect(after.status).toBe(200);
  });

  test('missing and wrongly typed fields are 422', async () => {
    const auth = asToken(token);
    expectError(await call(base, 'POST', '/api/v1/user/repos', { auth, json: {} }), 422, 'no name');
    expectError(
      await call(base, 'POST', '/api/v1/user/repos', { auth, json: { name: 42 } }),
      422,
      'numeric name',
    );
    expectError(
      await call(base, 'POST', '/api/v1/user/repos', {
        auth,
        json: { name: uniqueName('r'), private: 'yes' },
      }),
      422,
      'private as string',
    );
    expectError(
      await call(base, 'POST', `/api/v1/users/${user.username}/tokens`, { auth: asPassword(user), json: {} }),
      422,
      'token without name',
    );
    expectError(
      await call(base, 'POST', `/api/v1/users/${user.username}/tokens`, {
        auth: asPassword(user),
        json: { name: 'x', scopes: ['write:everything'] },
      }),
      422,
      'unknown scope',
    );
    const repo = await createRepo(base, auth, uniqueName('c'));
    const other = await signUp(base, 'badcollab');
    expectError(
      await call(base, 'PUT', `/api/v1/repos/${repo.full_name}/collaborators/${other.username}`, {
        auth,
        json: { permission: 'owner' },
      }),
      422,
      'bad permission',
    );
    expectError(
      await call(base, 'PUT', `/api/v1/repos/${repo.full_name}/topics`, {
        auth,
        json: { topics: ['Not A Topic!'] },
      }),
      422,
      'bad topic',
    );
  });
});

describe('names', () => {
  test('invalid and reserved repository names are 422', async () => {
    const auth = asToken(token);
    for (const name of [
      '.',
      '..',
      'has space',
      'a/b',
      'x.git',
      'X.GIT',
      'ü',
      '',
      'a'.repeat(101),
      'wiki.wiki',
      '-',
    ]) {
      expectError(
        await call(base, 'POST', '/api/v1/user/repos', { auth, json: { name } }),
        422,
        `name ${name}`,
      );
    }
    expectError(
      await call(base, 'POST', '/api/v1/user/repos', {
        auth,
        json: { name: uniqueName('r'), default_branch: 'a..b' },
      }),
      422,
      'bad default branch',
    );
  });

  test('duplicate repository (any case) and token names are 409', async () => {
    const auth = asToken(token);
    const name = uniqueName('Dup');
    await createRepo(base, auth, name);
    expectError(
      await call(base, 'POST', '/api/v1/user/repos', { auth, json: { name: name.toUpperCase() } }),
      409,
      'dup repo',
    );
    await createToken(base, user, { name: 'same' });
    expectError(
      await call(base, 'POST', `/api/v1/users/${user.username}/tokens`, {
        auth: asPassword(user),
        json: { name: 'same' },
      }),
      409,
      'dup token',
    );
  });

  test('sign-up refuses invalid, reserved and duplicate usernames', async () => {
    const attempt = (username: unknown, email = `${uniqueName('e')}@example.test`) =>
      call(base, 'POST', '/api/auth/sign-up/email', {
        json: { name: 'N', email, password: 'password-123', username },
      });
    for (const username of ['-lead', 'trail-', 'sp ace', 'a'.repeat(40), 'under_score', 'dot.ted']) {
      const r = await attempt(username);
      expect(r.status, username).toBe(422);
      expect(r.body, username).toMatchObject({ message: expect.any(String) });
    }
    for (const username of ['api', 'Login', 'settings', 'new', 'explore', 'ADMIN', 'users', '_serverFn']) {
      const r = await attempt(username);
      expect([r.status, username]).toEqual([422, username]);
    }
    expect((await attempt(undefined)).status).toBe(422);
    const dup = await attempt(user.username.toUpperCase());
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ message: expect.any(String) });
    const dupEmail = await attempt(uniqueName('fresh'), user.email);
    expect(dupEmail.status).toBe(409);
    const ok = await attempt(`A${uniqueName('z')}-9`);
    expect(ok.status).toBe(200);
  });

  test('oversize fields are 422', async () => {
    const auth = asToken(token);
    expectError(
      await call(base, 'POST', '/api/v1/user/repos', {
        auth,
        json: { name: uniqueName('r'), description: 'd'.repeat(2049) },
      }),
      422,
      'description',
    );
    const ok = await call(base, 'POST', '/api/v1/user/repos', {
      auth,
      json: { name: uniqueName('r'), description: 'd'.repeat(2048) },
    });
    expect(ok.status).toBe(201);
    expectError(
      await call(base, 'POST', `/api/v1/users/${user.username}/tokens`, {
        auth: asPassword(user),
        json: { name: 'n'.repeat(256) },
      }),
      422,
      'token name',
    );
  });
});

describe('credentials', () => {
  test('expired, revoked, unknown and malformed credentials are 401', async () => {
    // A token expiring in an hour, checked at the current time and two hours on (the test
    // server's clock header): valid, then expired.
    const expiresAt = new Date(Date.now() + 3_600_000);
    const short = await createToken(base, user, { expires_at: expiresAt.toISOString() });
    const at = (t: Date) => ({ 'X-Gitflare-Test-Now': t.toISOString() });
    const later = new Date(expiresAt.getTime() + 3_600_000);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asToken(short.sha1) })).status).toBe(200);
    expect(
      (await call(base, 'GET', '/api/v1/user', { auth: asToken(short.sha1), headers: at(new Date()) }))
        .status,
    ).toBe(200);
    expectError(
      await call(base, 'GET', '/api/v1/user', { auth: asToken(short.sha1), headers: at(later) }),
      401,
      'expired',
    );
    expectError(
      await call(base, 'GET', '/api/v1/user', {
        auth: { authorization: basicAuth(user.username, short.sha1) },
        headers: at(later),
      }),
      401,
      'expired via basic',
    );

    const revoked = await createToken(base, user);
    await call(base, 'DELETE', `/api/v1/users/${user.username}/tokens/${revoked.id}`, {
      auth: asPassword(user),
    });
    expectError(await call(base, 'GET', '/api/v1/user', { auth: asToken(revoked.sha1) }), 401, 'revoked');

    expectError(
      await call(base, 'GET', '/api/v1/user', { auth: { authorization: 'token not-a-token' } }),
      401,
      'junk',
    );
    expectError(
      await call(base, 'GET', '/api/v1/user', { auth: { authorization: 'Basic %%%' } }),
      401,
      'bad base64',
    );
    expectError(
      await call(base, 'GET', '/api/v1/user', { auth: { authorization: 'Digest abc' } }),
      401,
      'scheme',
    );
    // Wrong credentials are refused even where anonymous access would do.
    expectError(
      await call(base, 'GET', `/api/v1/users/${user.username}`, {
        auth: { authorization: `Bearer ${'f'.repeat(40)}` },
      }),
      401,
      'public route, bad token',
    );
    // A stale session cookie is simply anonymous.
    const anon = await call(base, 'GET', `/api/v1/users/${user.username}`, {
      auth: { cookie: 'better-auth.session_token=bogus.value' },
    });
    expect(anon.status).toBe(200);
  });

  test('a cross-site write with the session cookie is refused; same-origin is fine', async () => {
    const cross = await call(base, 'POST', '/api/v1/user/repos', {
      auth: { cookie: user.cookie },
      headers: { origin: 'https://evil.example' },
      json: { name: uniqueName('csrf') },
    });
    expectError(cross, 403, 'cross-site');
    const same = await call(base, 'POST', '/api/v1/user/repos', {
      auth: { cookie: user.cookie },
      headers: { origin: base },
      json: { name: uniqueName('csrf') },
    });
    expect(same.status).toBe(201);
  });

  test('token expiry in the past or unparseable is 422', async () => {
    for (const expires_at of ['2001-01-01T00:00:00Z', 'tomorrow']) {
      expectError(
        await call(base, 'POST', `/api/v1/users/${user.username}/tokens`, {
          auth: asPassword(user),
          json: { name: uniqueName('e'), expires_at },
        }),
        422,
        expires_at,
      );
    }
  });

  test('unknown API paths and users are 404 JSON', async () => {
    expectError(await call(base, 'GET', '/api/v1/no/such/thing'), 404, 'path');
    expectError(await call(base, 'GET', `/api/v1/users/${uniqueName('ghost')}`), 404, 'user');
    expectError(await call(base, 'GET', `/api/v1/users/${uniqueName('ghost')}/repos`), 404, 'user repos');
  });
});
