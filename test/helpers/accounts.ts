// Accounts, tokens, repositories and JSON requests against the running server. The account calls
// are the benchmark's own (scripts/lib/accounts.mjs); this module adds the tests' request helpers.
import { basicAuth, type TestUser } from '../../scripts/lib/accounts.mjs';

export {
  authUrl,
  basicAuth,
  type CreatedToken,
  cookiesOf,
  createRepo,
  createToken,
  createUser,
  type GitUser,
  type RepoJson,
  signUp,
  type TestUser,
  uniqueName,
  type Who,
} from '../../scripts/lib/accounts.mjs';

/** Request headers that authenticate a request, or null for an anonymous one. */
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

/** A request with an optional JSON body; the answer's JSON (or its text, or null when empty). */
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
