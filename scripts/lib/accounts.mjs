// Accounts, tokens and repositories made through the public API, as a user's script would: the
// one implementation the benchmark and the tests share (test/helpers/accounts.ts adds types and
// the tests' request helpers).
import { randomBytes } from 'node:crypto';

export function uniqueName(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function basicAuth(username, secret) {
  return `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
}

/** The `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(res) {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

async function expectStatus(res, status, what) {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A new account signed up by email: {username, email, password, cookie, id}. */
export async function signUp(base, prefix = 'u') {
  const username = uniqueName(prefix);
  const email = `${username}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const res = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ name: `Test ${username}`, email, password, username }),
  });
  const body = await expectStatus(res, 200, 'sign-up');
  const cookie = cookiesOf(res).find((c) => c.includes('session_token'));
  if (!cookie) throw new Error('sign-up set no session cookie');
  return { username, email, password, cookie, id: Number(body.user.id) };
}

/** A personal access token made with the account's password (`sha1` is the secret). */
export async function createToken(base, user, opts = {}) {
  const res = await fetch(`${base}/api/v1/users/${user.username}/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(user.username, user.password) },
    body: JSON.stringify({
      name: opts.name ?? uniqueName('tok'),
      scopes: opts.scopes,
      expires_at: opts.expires_at,
    }),
  });
  return expectStatus(res, 201, 'token creation');
}

/** A new account with a personal access token for git and the API. */
export async function createUser(base, prefix = 'user') {
  const user = await signUp(base, prefix);
  const token = await createToken(base, user, { name: 'git' });
  return { ...user, token: token.sha1 };
}

/** Request headers for `who`: a user's token, else an authorization or cookie (null: anonymous). */
function headersOf(who) {
  if (who === null) return {};
  if (typeof who.token === 'string') return { Authorization: `token ${who.token}` };
  if (typeof who.authorization === 'string') return { Authorization: who.authorization };
  return { Cookie: who.cookie };
}

/** A repository owned by the authenticated user; its JSON. */
export async function createRepo(base, who, name, opts = {}) {
  const res = await fetch(`${base}/api/v1/user/repos`, {
    method: 'POST',
    // Origin: a write by session cookie must come from the site itself.
    headers: { 'Content-Type': 'application/json', Origin: base, ...headersOf(who) },
    body: JSON.stringify({ name, ...opts }),
  });
  return expectStatus(res, 201, `create repository ${name}`);
}

/** The clone URL with the user's token embedded, as a CI job would use it. */
export function authUrl(base, user, owner, repo) {
  const u = new URL(`${base}/${owner}/${repo}.git`);
  u.username = user.username;
  u.password = user.token;
  return u.toString();
}
