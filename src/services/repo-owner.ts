/**
 * Who a new repository may belong to, for every way of making one (creation, fork, migration):
 * the caller's own account, or an organization whose owners it is among or where one of its teams
 * may create repositories (`can_create_org_repo`), as in Gitea. A repository made by such a team
 * member joins those teams, so its creator can work in it.
 */
import { orgVisibleTo } from '../auth/access';
import type { Actor } from '../auth/authenticate';
import { hasScope } from '../auth/scopes';
import { findOrgByName } from '../db/orgs';
import { addTeamRepo, listUserTeams, orgGrant, type TeamRecord } from '../db/teams';
import { findUserByName } from '../db/users';

export interface RepoOwnerTarget {
  ok: true;
  ownerId: number;
  /** The owner's name, its case as registered. */
  ownerLogin: string;
  /** The caller's teams to add the new repository to (none for owners and personal accounts). */
  creatorTeams: TeamRecord[];
}

export type RepoOwnerOutcome = RepoOwnerTarget | { ok: false; status: 403 | 422; message: string };

/**
 * Whether `actor` may create a repository under `ownerName` (its own account when not given).
 * Another person's account is answered as Gitea does per endpoint: a migration 403 ("not an
 * organization"), a fork 422 (no organization of that name).
 */
export async function repoOwnerFor(
  db: D1Database,
  actor: Actor,
  ownerName: string | undefined,
  otherAccount: 403 | 422 = 422,
): Promise<RepoOwnerOutcome> {
  if (!ownerName || ownerName.toLowerCase() === actor.username.toLowerCase())
    return { ok: true, ownerId: actor.userId, ownerLogin: actor.username, creatorTeams: [] };
  const org = await findOrgByName(db, ownerName);
  // Another person's account: Gitea's 403 "Given user is not an organization".
  if (!org && otherAccount === 403 && (await findUserByName(db, ownerName)))
    return {
      ok: false,
      status: 403,
      message: `${ownerName} is not an organization: you can only create repositories for yourself or your organizations`,
    };
  // A token without read:organization acts as an outsider of every organization.
  const member = org && hasScope(actor.scopes, 'read', 'organization');
  const grant = member ? await orgGrant(db, org.id, actor.userId, -1) : null;
  // An organization hidden from the caller is answered as one that does not exist.
  if (!org || !orgVisibleTo(org.visibility, true, grant?.member ?? false))
    return { ok: false, status: 422, message: `there is no organization named '${ownerName}'` };
  if (grant?.owner) return { ok: true, ownerId: org.id, ownerLogin: org.login, creatorTeams: [] };
  const creatorTeams = grant?.member
    ? (await listUserTeams(db, org.id, actor.userId)).filter((t) => t.canCreateOrgRepo)
    : [];
  if (creatorTeams.length === 0)
    return {
      ok: false,
      status: 403,
      message: `you cannot create repositories in ${org.login}: only its owners and teams allowed to may`,
    };
  return { ok: true, ownerId: org.id, ownerLogin: org.login, creatorTeams };
}

/** Gives the creator's teams the repository just made (teams on all repositories have it already). */
export async function joinCreatorTeams(
  db: D1Database,
  target: RepoOwnerTarget,
  repoId: number,
): Promise<void> {
  for (const t of target.creatorTeams) if (!t.includesAllRepositories) await addTeamRepo(db, t.id, repoId);
}
