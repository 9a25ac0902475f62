// Failed password attempts are limited per account and per client address, on every door that
// takes a password (API, git, sign-in), while tokens keep working. Each test comes from its own
// address (CF-Connecting-IP: Cloudflare sets it in production, the local runtime keeps the
// client's), so neither these failures nor the rest of the suite's count against the others.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  basicAuth,
  call,
  cookiesOf,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { GIT_ENV } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

function freshAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** `GET /api/v1/user` from `address` with HTTP Basic. */
function whoAmI(address: string, username: string, secret: string) {
  return call(base, 'GET', '/api/v1/user', {
    headers: { authorization: basicAuth(username, secret), 'cf-connecting-ip': address },
  });
}

/** `git ls-remote` of owner/repo from `address` with `user:secret` in the URL. */
function lsRemote(address: string, repo: string, username: string, secret: string) {
  const url = new URL(`${base}/${repo}.git`);
  url.username = username;
  url.password = secret;
  const r = spawnSync('git', ['-c', `http.extraHeader=CF-Connecting-IP: ${address}`, 'ls-remote', url.href], {
    env: { ...GIT_ENV, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '' },
    encoding: 'utf8',
  });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

function signIn(address: string, json: Record<string, string>, path = 'email') {
  return fetch(`${base}/api/auth/sign-in/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': address },
    body: JSON.stringify(json),
  });
}

function expectLimited(res: { status: number; headers: Headers }) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
}

async function userWithPrivateRepo(): Promise<{ user: TestUser; token: string; repo: string }> {
  const user = await signUp(base, 'limit');
  const token = (await createToken(base, user)).sha1;
  const name = uniqueName('secret');
  await createRepo(base, { authorization: `token ${token}` }, name, { private: true });
  return { user, token, repo: `${user.username}/${name}` };
}

describe('failed password attempts', () => {
  test('past 10 failures on the API and git, the right password answers 429; tokens still work', async () => {
    const { user, token, repo } = await userWithPrivateRepo();
    const address = freshAddress();
    // Positive control: the password works on both doors before any failure.
    expect((await whoAmI(address, user.username, user.password)).status).toBe(200);
    const before = lsRemote(address, repo, user.username, user.password);
    expect(before.code, before.out).toBe(0);

    for (let i = 0; i < 5; i++) {
      expect((await whoAmI(address, user.username, `wrong-${i}`)).status).toBe(401);
      const r = lsRemote(address, repo, user.username, `wrong-git-${i}`);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('Authentication failed');
    }

    const api = await whoAmI(address, user.username, user.password);
    expectLimited(api);
    expect(api.body).toEqual({ message: expect.stringContaining('too many') });
    expectLimited(await whoAmI(address, user.username, 'wrong-again'));
    // The limit is the account's: another address is refused too.
    expectLimited(await whoAmI(freshAddress(), user.username, user.password));
    const gitRefused = lsRemote(address, repo, user.username, user.password);
    expect(gitRefused.code).not.toBe(0);
    expect(gitRefused.out).toContain('429');

    // Tokens: as the header, as HTTP Basic password, and for git.
    const byToken = await call(base, 'GET', '/api/v1/user', {
      headers: { authorization: `token ${token}`, 'cf-connecting-ip': address },
    });
    expect(byToken.status).toBe(200);
    expect(byToken.body).toMatchObject({ login: user.username });
    expect((await whoAmI(address, user.username, token)).status).toBe(200);
    const gitToken = lsRemote(address, repo, user.username, token);
    expect(gitToken.code, gitToken.out).toBe(0);
  });

  test('the sign-in endpoints count failures and refuse the 11th attempt', async () => {
    const user = await signUp(base, 'signin-limit');
    const address = freshAddress();
    const good = await signIn(address, { email: user.email, password: user.password });
    expect(good.status).toBe(200);
    for (let i = 0; i < 10; i++) {
      const res =
        i % 2 === 0
          ? await signIn(address, { email: user.email, password: `wrong-${i}` })
          : await signIn(address, { username: user.username, password: `wrong-${i}` }, 'username');
      expect(res.status).toBe(401);
    }
    const refused = await signIn(address, { email: user.email, password: user.password });
    expectLimited(refused);
    expect(cookiesOf(refused).some((c) => c.includes('session_token'))).toBe(false);
    expectLimited(await signIn(address, { username: user.username, password: user.password }, 'username'));
    // One count for the account whichever door: HTTP Basic is refused as well.
    expectLimited(await whoAmI(address, user.username, user.password));
    // The session from before the failures is untouched.
    const me = await call(base, 'GET', '/api/v1/user', { auth: { cookie: user.cookie } });
    expect(me.status).toBe(200);
  });

  test('an address guessing across many accounts is refused, other addresses are not', async () => {
    const user = await signUp(base, 'spray');
    const address = freshAddress();
    // 100 failures (the default per address) on names that exist nowhere: no account reaches its
    // own limit, only the address does.
    for (let i = 0; i < 100; i++) {
      expect((await whoAmI(address, uniqueName('nobody'), 'guess')).status).toBe(401);
    }
    expectLimited(await whoAmI(address, user.username, user.password));
    expect((await whoAmI(freshAddress(), user.username, user.password)).status).toBe(200);
  });
});
