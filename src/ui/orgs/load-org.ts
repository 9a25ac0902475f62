// What an organization's page (/{org}) shows the viewer: nothing (null: the page is 404) when
// the organization hides itself from them; its people and teams only to its members.
import { orgVisibleTo } from '../../auth/access';
import type { Actor } from '../../auth/authenticate';
import { hasScope } from '../../auth/scopes';
import { findOrgById, listOrgMembers } from '../../db/orgs';
import { listTeams, orgGrant } from '../../db/teams';

export interface OrgView {
  fullName: string;
  description: string;
  website: string;
  location: string;
  visibility: 'public' | 'limited' | 'private';
  /** Whether the viewer is an owner (and may open the settings). */
  owner: boolean;
  /** Null for a viewer who is not a member. */
  people: { login: string; owner: boolean }[] | null;
  teams: { name: string; permission: string; description: string }[] | null;
}

export async function loadOrgView(
  db: D1Database,
  orgId: number,
  actor: Actor | null,
): Promise<OrgView | null> {
  const org = await findOrgById(db, orgId);
  if (!org) return null;
  const viewer = actor && hasScope(actor.scopes, 'read', 'organization') ? actor : null;
  const grant = viewer ? await orgGrant(db, org.id, viewer.userId, -1) : null;
  const member = grant?.member ?? false;
  if (!orgVisibleTo(org.visibility, viewer !== null, member)) return null;
  return {
    fullName: org.fullName,
    description: org.description,
    website: org.website,
    location: org.location,
    visibility: org.visibility,
    owner: grant?.owner ?? false,
    people: member
      ? (await listOrgMembers(db, org.id)).map((m) => ({ login: m.login, owner: m.owner }))
      : null,
    teams: member
      ? (await listTeams(db, org.id)).map((t) => ({
          name: t.name,
          permission: t.permission,
          description: t.description,
        }))
      : null,
  };
}
