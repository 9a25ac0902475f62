// What the organization's settings page and its team pages show: settings only to owners, a team
// only to members of its organization; null (the page is 404) to anyone else, as the API hides
// the organization itself from those it is invisible to.
import { orgVisibleTo } from '../../auth/access';
import type { Actor } from '../../auth/authenticate';
import { hasScope } from '../../auth/scopes';
import { findOrgByName, listOrgMembers, type OrgRecord, type OrgVisibility } from '../../db/orgs';
import { findRepoById, listOwnerRepos, type RepoRecord } from '../../db/repos';
import { listTeamMembers, listTeamRepoIds, listTeams, orgGrant, type TeamPermission } from '../../db/teams';

export interface OrgSettingsView {
  login: string;
  fullName: string;
  description: string;
  visibility: OrgVisibility;
  people: { login: string; owner: boolean }[];
  teams: { name: string; permission: TeamPermission }[];
}

export interface TeamView {
  org: string;
  id: number;
  name: string;
  description: string;
  permission: TeamPermission;
  includesAllRepositories: boolean;
  canCreateOrgRepo: boolean;
  units: string[];
  members: string[];
  repos: string[];
  /** Whether the viewer (an owner) may change the team's members and repositories. */
  manage: boolean;
  /** The organization's repositories, offered to owners to add (null when not offered). */
  orgRepos: string[] | null;
}

/** The organization `name` and what the viewer is in it, or null when it is hidden from them. */
async function orgFor(db: D1Database, name: string, actor: Actor | null) {
  const org = await findOrgByName(db, name);
  if (!org) return null;
  const viewer = actor && hasScope(actor.scopes, 'read', 'organization') ? actor : null;
  const grant = viewer ? await orgGrant(db, org.id, viewer.userId, -1) : null;
  if (!orgVisibleTo(org.visibility, viewer !== null, grant?.member ?? false)) return null;
  return { org, member: grant?.member ?? false, owner: grant?.owner ?? false };
}

export async function loadOrgSettings(
  db: D1Database,
  name: string,
  actor: Actor | null,
): Promise<OrgSettingsView | null> {
  const found = await orgFor(db, name, actor);
  if (!found?.owner) return null;
  const { org } = found;
  return {
    login: org.login,
    fullName: org.fullName,
    description: org.description,
    visibility: org.visibility,
    people: (await listOrgMembers(db, org.id)).map((m) => ({ login: m.login, owner: m.owner })),
    teams: (await listTeams(db, org.id)).map((t) => ({ name: t.name, permission: t.permission })),
  };
}

const ALL_REPOS = { limit: 100, offset: 0 };

async function teamRepos(db: D1Database, org: OrgRecord, teamId: number, all: boolean, viewerId: number) {
  if (all) return listOwnerRepos(db, org.id, viewerId, ALL_REPOS);
  const found = await Promise.all((await listTeamRepoIds(db, teamId)).map((id) => findRepoById(db, id)));
  return found.filter((r): r is RepoRecord => r !== null);
}

export async function loadTeam(
  db: D1Database,
  orgName: string,
  teamName: string,
  actor: Actor | null,
): Promise<TeamView | null> {
  const found = await orgFor(db, orgName, actor);
  if (!found?.member || !actor) return null;
  const { org, owner } = found;
  const team = (await listTeams(db, org.id)).find((t) => t.name.toLowerCase() === teamName.toLowerCase());
  if (!team) return null;
  const all = team.includesAllRepositories || team.permission === 'owner';
  return {
    org: org.login,
    id: team.id,
    name: team.name,
    description: team.description,
    permission: team.permission,
    includesAllRepositories: all,
    canCreateOrgRepo: team.canCreateOrgRepo,
    units: team.units,
    members: (await listTeamMembers(db, team.id)).map((m) => m.login),
    repos: (await teamRepos(db, org, team.id, all, actor.userId)).map((r) => r.name),
    manage: owner,
    orgRepos:
      owner && !all ? (await listOwnerRepos(db, org.id, actor.userId, ALL_REPOS)).map((r) => r.name) : null,
  };
}
