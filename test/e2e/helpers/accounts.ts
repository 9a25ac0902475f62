// Helpers for e2e tests: unique accounts, tokens and JSON requests against the running server.
import { randomBytes } from 'node:crypto';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface TestUser {
  username: string;
  email: string;
  password: string;
  /** `name=value` of the session cookie set by sign-up. */
  cookie: string;
  id: number;
}

/** The `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

export async function signUp(base: string, prefix = 'u'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const email = `${username}@example.test`;
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const res = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Test ${username}`, email, password, username }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string | number } };
  const cookie = cookiesOf(res).find((c) => c.includes('session_token'));
  if (!cookie) throw new Error('sign-up set no session cookie');
  return { username, email, password, cookie, id: Number(body.user.id) };
}

export function basicAuth(username: string, secret: string): string {
  return `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
}

export type Auth = { authorization: string } | { cookie: string } | null;

export const asToken = (token: string): Auth => ({ authorization: `token ${token}` });
export const asCookie = (user: TestUser): Auth => ({ cookie: user.cookie });
export const asPassword = (user: TestUser): Auth => ({
  authorization: basicAuth(user.username, user.password),
});

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A request with an optional JSON body; the answer's JSON (or null when it has none). */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { auth?: Auth; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...(opts.auth ?? {}), ...opts.headers };
  let body: string | undefined;
  if (opts.json !== undefined) body = JSON.stringify(opts.json);
  if (opts.raw !== undefined) body = opts.raw;
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export interface CreatedToken {
  id: number;
  name: string;
  sha1: string;
  token_last_eight: string;
  scopes: string[];
}

export async function createToken(
  base: string,
  user: TestUser,
  opts: { name?: string; scopes?: string[]; expires_at?: string } = {},
): Promise<CreatedToken> {
  const r = await call<CreatedToken>(base, 'POST', `/api/v1/users/${user.username}/tokens`, {
    auth: asPassword(user),
    json: { name: opts.name ?? uniqueName('tok'), scopes: opts.scopes, expires_at: opts.expires_at },
  });
  if (r.status !== 201) throw new Error(`token creation failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface RepoJson {
  id: number;
  name: string;
  full_name: string;
  description: string;
  private: boolean;
  empty: boolean;
  default_branch: string;
  clone_url: string;
  html_url: string;
  owner: { login: string };
}

export async function createRepo(
  base: string,
  auth: Auth,
  json: { name: string; description?: string; private?: boolean; default_branch?: string },
): Promise<RepoJson> {
  const r = await call<RepoJson>(base, 'POST', '/api/v1/user/repos', { auth, json });
  if (r.status !== 201) throw new Error(`repository creation failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
