// One permission decision for every door: repoPermission() computes it, authorizeRepo() applies
// git's rules, the API applies its own (see access.ts).
import { findCollaboratorPermission, findRepo, findRepoById, type RepoRecord } from '../db/repos';
import { orgGrant } from '../db/teams';
import {
  type AccessOutcome,
  can,
  computePermission,
  decideGitAccess,
  type Permission,
  type RepoAction,
} from './access';
import { type Actor, authenticate } from './authenticate';
import { InvalidCredentialsError, TooManyAttemptsError } from './errors';

export type { Permission, RepoAction, RepoRecord };
export { can };

export const GIT_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Gitflare"' } as const;

/** The repository and the caller's permission on it; null when there is no such repository or
 * it is private and the caller may not read it (treated alike). */
export async function repoPermission(
  env: Env,
  actor: Actor | null,
  owner: string,
  repoName: string,
): Promise<{ repo: RepoRecord; permission: Permission } | null> {
  const repo = await findRepo(env.DB, owner, repoName);
  return repo ? permissionOn(env, actor, repo) : null;
}

/** As repoPermission, for the repository with this id (a live socket's, which outlives renames). */
export async function repoPermissionById(
  env: Env,
  actor: Actor | null,
  repoId: number,
): Promise<{ repo: RepoRecord; permission: Permission } | null> {
  const repo = await findRepoById(env.DB, repoId);
  return repo ? permissionOn(env, actor, repo) : null;
}

async function permissionOn(
  env: Env,
  actor: Actor | null,
  repo: RepoRecord,
): Promise<{ repo: RepoRecord; permission: Permission } | null> {
  const permission = await permissionFor(env, actor, repo);
  if (!can(permission, 'read')) return null;
  return { repo, permission };
}

/** The caller's permission on a repository already read (lists): collaborator grant, teams of
 * the owning organization, public read, as computePermission weighs them. */
export async function permissionFor(
  env: Env,
  actor: Pick<Actor, 'userId' | 'scopes'> | null,
  repo: RepoRecord,
): Promise<Permission> {
  if (!actor || actor.userId === repo.ownerId) return computePermission(repo, actor, null);
  const [collaborator, org] = await Promise.all([
    findCollaboratorPermission(env.DB, repo.id, actor.userId),
    repo.orgVisibility === null ? null : orgGrant(env.DB, repo.ownerId, actor.userId, repo.id),
  ]);
  return computePermission(repo, actor, collaborator, org);
}

export type AuthorizeResult =
  | { ok: true; repo: RepoRecord; actor: Actor | null; permission: Permission }
  | { ok: false; status: 401 | 403 | 404 | 429; headers?: Record<string, string>; message: string };

function refusal(outcome: Exclude<AccessOutcome, { ok: true }>): AuthorizeResult {
  const message =
    outcome.status === 404
      ? 'repository not found'
      : outcome.status === 403
        ? 'permission denied'
        : 'authentication required';
  return outcome.challenge
    ? { ok: false, status: outcome.status, headers: { ...GIT_CHALLENGE }, message }
    : { ok: false, status: outcome.status, message };
}

/** For git over HTTP: authenticates the request and decides `action` on owner/repo per
 * CONTRACT.md. Wrong credentials get 401 with the challenge, so git asks again. */
export async function authorizeRepo(
  request: Request,
  env: Env,
  owner: string,
  repoName: string,
  action: RepoAction,
): Promise<AuthorizeResult> {
  let actor: Actor | null;
  try {
    actor = await authenticate(request, env);
  } catch (err) {
    if (err instanceof InvalidCredentialsError) {
      return { ok: false, status: 401, headers: { ...GIT_CHALLENGE }, message: err.message };
    }
    if (err instanceof TooManyAttemptsError) {
      const headers = { 'Retry-After': String(err.retryAfterSeconds) };
      return { ok: false, status: 429, headers, message: err.message };
    }
    throw err;
  }
  const found = await repoPermission(env, actor, owner, repoName);
  const outcome = decideGitAccess(found !== null, found?.permission ?? 'none', actor === null, action);
  if (!outcome.ok) return refusal(outcome);
  return { ok: true, repo: found!.repo, actor, permission: found!.permission };
}
