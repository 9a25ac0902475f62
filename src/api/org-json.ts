// JSON shapes of organizations and teams (Gitea's Organization and Team).
import type { OrgMemberRecord, OrgRecord } from '../db/orgs';
import type { TeamMemberRecord, TeamRecord } from '../db/teams';

export function orgJson(o: OrgRecord) {
  return {
    id: o.id,
    name: o.login,
    username: o.login,
    full_name: o.fullName,
    email: o.email,
    avatar_url: '',
    description: o.description,
    website: o.website,
    location: o.location,
    visibility: o.visibility,
    repo_admin_change_team_access: o.repoAdminChangeTeamAccess,
  };
}

export function teamJson(t: TeamRecord, org: OrgRecord) {
  const access = t.permission === 'owner' ? 'owner' : t.permission;
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    organization: orgJson(org),
    includes_all_repositories: t.includesAllRepositories,
    permission: t.permission,
    can_create_org_repo: t.canCreateOrgRepo,
    units: t.units,
    units_map: Object.fromEntries(t.units.map((u) => [u, access])),
  };
}

export function memberJson(m: TeamMemberRecord | OrgMemberRecord) {
  return { id: m.userId, login: m.login, username: m.login, full_name: m.fullName, avatar_url: '' };
}
