// Accounts, tokens and repositories made through the public API, as a user's script would.
import { randomBytes } from 'node:crypto';

export interface TestUser {
  username: string;
  password: string;
  token: string;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

async function expectStatus(res: Response, status: number, what: string): Promise<unknown> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function createUser(base: string, prefix = 'user'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ name: username, email: `${username}@example.com`, password, username }),
  });
  await expectStatus(signUp, 200, 'sign-up');
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const tok = await fetch(`${base}/api/v1/users/${username}/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basic },
    body: JSON.stringify({ name: 'git' }),
  });
  const body = (await expectStatus(tok, 201, 'token')) as { sha1: string };
  return { username, password, token: body.sha1 };
}

export async function createRepo(
  base: string,
  user: TestUser,
  name: string,
  opts: { private?: boolean; default_branch?: string } = {},
): Promise<void> {
  const res = await fetch(`${base}/api/v1/user/repos`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `token ${user.token}` },
    body: JSON.stringify({ name, ...opts }),
  });
  await expectStatus(res, 201, 'create repo');
}

/** The clone URL with credentials embedded, as a CI job would use it. */
export function authUrl(base: string, user: TestUser, owner: string, repo: string): string {
  const u = new URL(`${base}/${owner}/${repo}.git`);
  u.username = user.username;
  u.password = user.token;
  return u.toString();
}
