// Request context shared by API routes: the caller (authenticated once per request) and the
// repository access decision (src/auth/access.ts).
import type { Context, MiddlewareHandler } from 'hono';
import { decideApiAccess, type Permission, type RepoAction } from '../auth/access';
import { authBaseURL } from '../auth/auth';
import { type Actor, authenticate } from '../auth/authenticate';
import { repoPermission } from '../auth/permission';
import { hasScope, type ScopeArea } from '../auth/scopes';
import type { RepoRecord } from '../db/repos';
import { ApiError, forbidden, unauthorized } from './errors';

export interface AppEnv {
  Bindings: Env;
  Variables: { actor: Actor | null };
}

export type ApiContext = Context<AppEnv>;

/** Authenticates the request; wrong credentials end it with 401 (see errors.ts). A
 * state-changing request another site made a browser send is refused first, whatever credential
 * it carries: browsers attach cached HTTP Basic credentials (e.g. after a git 401) as readily as
 * cookies, and a `text/plain` form needs no preflight. */
export const withActor: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isCrossSiteWrite(c.req.raw, authBaseURL(c.env, c.req.raw))) {
    throw forbidden('cross-site requests may not change anything');
  }
  c.set('actor', await authenticate(c.req.raw, c.env));
  await next();
};

/** A state-changing request a browser sent from another site (or from a sibling site, or from an
 * opaque origin). Clients that are not browsers (git, curl, scripts) send neither header. */
function isCrossSiteWrite(request: Request, publicOrigin: string): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.get('origin');
  return origin !== null && origin !== new URL(request.url).origin && origin !== publicOrigin;
}

export function currentActor(c: ApiContext): Actor | null {
  return c.get('actor') ?? null;
}

/** The signed-in caller, whose credential carries the scope (401 / 403 otherwise). */
export function requireActor(c: ApiContext, scope?: { level: 'read' | 'write'; area: ScopeArea }): Actor {
  const actor = currentActor(c);
  if (!actor) throw unauthorized();
  if (scope && !hasScope(actor.scopes, scope.level, scope.area)) {
    throw forbidden(`token does not have the required scope ${scope.level}:${scope.area}`);
  }
  return actor;
}

export interface RepoAccess {
  repo: RepoRecord;
  actor: Actor | null;
  permission: Permission;
}

/** The repository `owner/name` if the caller may perform `action` on it: 404 when it is missing
 * or unreadable, 401 for an anonymous caller lacking the right, 403 for a signed-in one. */
export async function requireRepo(
  c: ApiContext,
  owner: string,
  name: string,
  action: RepoAction,
): Promise<RepoAccess> {
  const actor = currentActor(c);
  const found = await repoPermission(c.env, actor, owner, name);
  const outcome = decideApiAccess(found !== null, found?.permission ?? 'none', actor === null, action);
  if (!outcome.ok) {
    if (outcome.status === 404) throw new ApiError(404, 'repository not found');
    if (outcome.status === 401) throw unauthorized();
    throw forbidden(`${action} permission on the repository is required`);
  }
  return { repo: found!.repo, actor, permission: found!.permission };
}

/** The origin clone and web URLs use: the one the request came to. */
export function requestOrigin(c: ApiContext): string {
  return new URL(c.req.url).origin;
}
