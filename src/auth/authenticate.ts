// One authentication for every door (web pages, API, git over HTTP).
import { verifyPassword } from 'better-auth/crypto';
import { findTokenByHash, touchToken } from '../db/tokens';
import { findPasswordHash, findUserById, findUserByName, type UserRecord } from '../db/users';
import { getAuth } from './auth';
import { credentialTime } from './clock';
import { InvalidCredentialsError, TooManyAttemptsError } from './errors';
import { accountKey, limitPasswordCheck } from './password-limit';
import { hashTokenSecret, looksLikeToken } from './token-secret';

export interface Actor {
  userId: number;
  username: string;
  /** Token scopes; `['all']` for a session or a password. */
  scopes: string[];
  /** How the actor proved who they are: token management requires a password or a session. */
  via: 'session' | 'token' | 'password';
  /** The token's or the session's id, for connections that re-check it later (live sockets). */
  credentialId?: string;
}

/** Credentials the request presents, before checking them. */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'basic'; username: string; secret: string }
  | { kind: 'malformed' };

export function parseAuthorization(header: string | null): Credentials {
  if (header === null || header.trim() === '') return { kind: 'none' };
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!m) return { kind: 'malformed' };
  const scheme = m[1].toLowerCase();
  const value = m[2];
  if (scheme === 'token' || scheme === 'bearer') return { kind: 'token', token: value };
  if (scheme !== 'basic') return { kind: 'malformed' };
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(value), (c) => c.charCodeAt(0)),
    );
  } catch {
    return { kind: 'malformed' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed' };
  return { kind: 'basic', username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const TOUCH_INTERVAL_MS = 60_000;

async function actorFromToken(env: Env, token: string, now: Date): Promise<Actor | null> {
  if (!looksLikeToken(token)) return null;
  const record = await findTokenByHash(env.DB, await hashTokenSecret(token));
  if (!record) return null;
  if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) {
    throw new InvalidCredentialsError('token has expired');
  }
  const user = await findUserById(env.DB, record.userId);
  if (!user) return null;
  if (!record.lastUsedAt || now.getTime() - Date.parse(record.lastUsedAt) > TOUCH_INTERVAL_MS) {
    await touchToken(env.DB, record.id, now.toISOString());
  }
  return {
    userId: user.id,
    username: user.login,
    scopes: record.scopes,
    via: 'token',
    credentialId: String(record.id),
  };
}

/** Checks a username and password; the user when they match. Accounts with two-factor
 * authentication on never authenticate by password alone here (use a token), so they are
 * refused before any hashing. Failures are limited (throws TooManyAttemptsError past the limit). */
async function checkPassword(
  env: Env,
  request: Request,
  username: string,
  password: string,
): Promise<UserRecord | null> {
  const user = await findUserByName(env.DB, username);
  if (user?.twoFactorEnabled) return null;
  const matched = await limitPasswordCheck(env, request, accountKey(user?.id ?? null, username), async () => {
    const hash = user ? await findPasswordHash(env.DB, user.id) : null;
    return hash !== null && (await verifyPassword({ hash, password }));
  });
  return matched ? user : null;
}

async function actorFromSession(env: Env, request: Request): Promise<Actor | null> {
  const cookie = request.headers.get('cookie');
  if (!cookie?.includes('session_token')) return null;
  const session = await getAuth(env, request).api.getSession({ headers: request.headers });
  if (!session) return null;
  const user = await findUserById(env.DB, Number(session.user.id));
  if (!user) return null;
  return {
    userId: user.id,
    username: user.login,
    scopes: ['all'],
    via: 'session',
    credentialId: String(session.session.id),
  };
}

/**
 * Who makes this request: null when it carries no credentials (or only a stale session cookie,
 * which browsers keep); throws InvalidCredentialsError when it carries wrong ones, and
 * TooManyAttemptsError for a password past the failure limits (see password-limit.ts).
 * Accepted: `Authorization: token T`, `Bearer T`, Basic `username:T`, `T:` or `username:password`, and
 * Better Auth's session cookie.
 */
export async function authenticate(request: Request, env: Env): Promise<Actor | null> {
  const creds = parseAuthorization(request.headers.get('authorization'));
  switch (creds.kind) {
    case 'none':
      return actorFromSession(env, request);
    case 'malformed':
      throw new InvalidCredentialsError('malformed Authorization header');
    case 'token': {
      const actor = await actorFromToken(env, creds.token, credentialTime(request, env));
      if (!actor) throw new InvalidCredentialsError('invalid token');
      return actor;
    }
    case 'basic': {
      // A token given as the password; git credential helpers send any user name with it.
      const byToken = await actorFromToken(env, creds.secret, credentialTime(request, env));
      if (byToken) return byToken;
      // Gitea's other form: the token as the user name, with an empty password or GitHub's
      // `x-oauth-basic` (Renovate clones and pushes with `http://TOKEN@host/...`).
      if (creds.secret === '' || creds.secret === 'x-oauth-basic') {
        const asName = await actorFromToken(env, creds.username, credentialTime(request, env));
        if (asName) return asName;
      }
      const user = creds.username ? await checkPassword(env, request, creds.username, creds.secret) : null;
      if (!user) throw new InvalidCredentialsError('invalid username, password or token');
      return { userId: user.id, username: user.login, scopes: ['all'], via: 'password' };
    }
  }
}

/**
 * The viewer of a web page: as `authenticate`, except that wrong or stale credentials show the
 * page as to an anonymous visitor instead of failing it (the API and git answer 401 instead).
 */
export async function authenticatePage(request: Request, env: Env): Promise<Actor | null> {
  try {
    return await authenticate(request, env);
  } catch (e) {
    if (e instanceof InvalidCredentialsError || e instanceof TooManyAttemptsError) return null;
    throw e;
  }
}
