// Who may see and manage an organization: invisible (404) when missing or when its visibility
// hides it from the caller; members read its teams; owners (the Owners team) manage it. A token
// needs read:organization to be seen as a member (else it sees what an anonymous caller sees) and
// write:organization to change anything.
import { orgVisibleTo } from '../auth/access';
import type { Actor } from '../auth/authenticate';
import { hasScope } from '../auth/scopes';
import { findOrgByName, type OrgRecord } from '../db/orgs';
import { orgGrant } from '../db/teams';
import { type ApiContext, currentActor, requireActor } from './context';
import { forbidden, notFound, unauthorized } from './errors';

export interface OrgAccess {
  org: OrgRecord;
  actor: Actor | null;
  member: boolean;
  owner: boolean;
}

export type OrgNeed = 'read' | 'member' | 'owner';

/** The organization `name` if the caller may `need` it: 404 when missing or invisible to them,
 * 401 / 403 when visible but the caller lacks the right (or the token the scope). */
export async function requireOrg(c: ApiContext, name: string, need: OrgNeed): Promise<OrgAccess> {
  const actor =
    need === 'owner' ? requireActor(c, { level: 'write', area: 'organization' }) : currentActor(c);
  const org = await findOrgByName(c.env.DB, name);
  if (!org) throw notFound('organization not found');
  return orgAccessOf(c, org, actor, need);
}

export async function orgAccessOf(
  c: ApiContext,
  org: OrgRecord,
  actor: Actor | null,
  need: OrgNeed,
): Promise<OrgAccess> {
  const viewer = actor && hasScope(actor.scopes, 'read', 'organization') ? actor : null;
  const grant = viewer ? await orgGrant(c.env.DB, org.id, viewer.userId, -1) : null;
  const member = grant?.member ?? false;
  const owner = grant?.owner ?? false;
  if (!orgVisibleTo(org.visibility, viewer !== null, member)) throw notFound('organization not found');
  if (need === 'member' && !member) {
    if (!actor) throw unauthorized();
    throw forbidden('only members of the organization may do this');
  }
  if (need === 'owner' && !owner) throw forbidden('only owners of the organization may do this');
  return { org, actor, member, owner };
}

/** The viewer id lists are filtered for: -1 (anonymous) for a token without read:organization. */
export function orgViewerId(actor: Actor | null): number {
  return actor && hasScope(actor.scopes, 'read', 'organization') ? actor.userId : -1;
}
