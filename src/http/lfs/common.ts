// What the LFS endpoints share: the Hono environment, JSON in git-lfs's media type, and the
// repository access check (git's rules, with git-lfs's challenge header).
import type { Context } from 'hono';
import { ApiError } from '../../api/errors';
import { type AuthorizeResult, authorizeRepo, type RepoAction } from '../../auth/permission';

export const LFS_MEDIA_TYPE = 'application/vnd.git-lfs+json';

export interface LfsEnv {
  Bindings: Env;
}

export type LfsContext = Context<LfsEnv>;

export type RepoGrant = Extract<AuthorizeResult, { ok: true }>;

/** A repository name in a path, without the `.git` git-lfs adds (as git's own paths read it). */
export function repoNameOf(segment: string): string {
  return segment.endsWith('.git') && segment.length > 4 ? segment.slice(0, -4) : segment;
}

export class LfsRefusal extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 429,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const MESSAGES: Record<number, string> = {
  401: 'Authentication required',
  403: 'You do not have permission to push to this repository',
  404: 'Repository not found',
  429: 'Too many failed sign-in attempts; try again later',
};

/** The caller's access to the path's repository for `action`, as git decides it (401 with the
 * challenge to anonymous callers, 404 where they may not read, 403 where they may only read). */
export async function authorizeLfs(c: LfsContext, action: RepoAction): Promise<RepoGrant> {
  const owner = c.req.param('owner') ?? '';
  const name = repoNameOf(c.req.param('repo') ?? '');
  const access = await authorizeRepo(c.req.raw, c.env, owner, name, action);
  if (access.ok) return access;
  const headers = { ...(access.headers ?? {}) };
  // git-lfs reads its challenge from LFS-Authenticate when present.
  if (headers['WWW-Authenticate']) headers['LFS-Authenticate'] = headers['WWW-Authenticate'];
  throw new LfsRefusal(access.status, MESSAGES[access.status] ?? access.message, headers);
}

export function lfsJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': LFS_MEDIA_TYPE, ...headers },
  });
}

/** Refuses a POST whose body is not JSON: a browser cannot send these types across sites
 * without a preflight, which this server never grants, so cached credentials cannot be abused. */
export function requireJsonBody(c: LfsContext): void {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== LFS_MEDIA_TYPE && type !== 'application/json') {
    throw new ApiError(415, `Expected Content-Type ${LFS_MEDIA_TYPE}`);
  }
}
