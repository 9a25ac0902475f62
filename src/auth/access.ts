// Pure permission rules, shared by the API, the web pages and git over HTTP.
import { hasScope } from './scopes';

export type Permission = 'none' | 'read' | 'write' | 'admin';
export type RepoAction = 'read' | 'write' | 'admin';

const RANK: Record<Permission, number> = { none: 0, read: 1, write: 2, admin: 3 };

export function can(permission: Permission, action: RepoAction): boolean {
  return RANK[permission] >= RANK[action];
}

export function minPermission(a: Permission, b: Permission): Permission {
  return RANK[a] <= RANK[b] ? a : b;
}

/** The most a credential with these scopes may do to repositories. */
export function scopeCeiling(scopes: readonly string[]): Permission {
  if (hasScope(scopes, 'write', 'repository')) return 'admin';
  if (hasScope(scopes, 'read', 'repository')) return 'read';
  return 'none';
}

export interface RepoFacts {
  ownerId: number;
  private: boolean;
  /** The owning organization's visibility; null or absent when a user owns the repository. */
  orgVisibility?: 'public' | 'limited' | 'private' | null;
}

/** What the caller is in the organization owning the repository (src/db/teams.ts orgGrant). */
export interface OrgGrant {
  member: boolean;
  owner: boolean;
  /** The highest permission the caller's teams give on this repository. */
  team: Permission;
}

function highest(a: Permission, b: Permission): Permission {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Whether an organization of this visibility shows itself to a caller (anonymous: actor null). */
export function orgVisibleTo(
  visibility: 'public' | 'limited' | 'private',
  signedIn: boolean,
  member: boolean,
): boolean {
  return visibility === 'public' || (visibility === 'limited' && signedIn) || member;
}

/**
 * A caller's permission on a repository: its owner and the owning organization's owners are
 * admin; otherwise the highest of a collaborator grant, the caller's teams' permission, and read
 * on a public repository whose owner the caller may see (a private organization and all its
 * repositories are invisible to non-members; a limited one to anonymous callers). A token's
 * scopes cap what its owner's rights give it (never below what an anonymous caller has).
 */
export function computePermission(
  repo: RepoFacts,
  actor: { userId: number; scopes: readonly string[] } | null,
  collaborator: 'read' | 'write' | 'admin' | null,
  org: OrgGrant | null = null,
): Permission {
  const visibility = repo.orgVisibility ?? 'public';
  const baseline: Permission = !repo.private && orgVisibleTo(visibility, false, false) ? 'read' : 'none';
  if (!actor) return baseline;
  let granted: Permission = collaborator ?? 'none';
  if (actor.userId === repo.ownerId || org?.owner) granted = 'admin';
  if (org) granted = highest(granted, org.team);
  if (!repo.private && orgVisibleTo(visibility, true, org?.member ?? false))
    granted = highest(granted, 'read');
  const capped = minPermission(granted, scopeCeiling(actor.scopes));
  return highest(capped, baseline);
}

export type AccessOutcome = { ok: true } | { ok: false; status: 401 | 403 | 404; challenge: boolean };

/**
 * Git over HTTP (CONTRACT.md): a repository the caller cannot read answers like a missing one,
 * 401 with a challenge to an anonymous caller (so git asks for credentials), 404 to a signed-in
 * one; a readable repository without the needed right: 401 + challenge when anonymous, else 403.
 */
export function decideGitAccess(
  found: boolean,
  permission: Permission,
  anonymous: boolean,
  action: RepoAction,
): AccessOutcome {
  if (!found || !can(permission, 'read')) {
    return anonymous
      ? { ok: false, status: 401, challenge: true }
      : { ok: false, status: 404, challenge: false };
  }
  if (can(permission, action)) return { ok: true };
  return anonymous
    ? { ok: false, status: 401, challenge: true }
    : { ok: false, status: 403, challenge: false };
}

/**
 * The API and web pages: a repository the caller cannot read is missing (404) whoever asks; a
 * readable one without the needed right: 401 when anonymous, else 403.
 */
export function decideApiAccess(
  found: boolean,
  permission: Permission,
  anonymous: boolean,
  action: RepoAction,
): AccessOutcome {
  if (!found || !can(permission, 'read')) return { ok: false, status: 404, challenge: false };
  if (can(permission, action)) return { ok: true };
  return { ok: false, status: anonymous ? 401 : 403, challenge: false };
}
