// Organizations (Gitea's /orgs API): creation, settings, deletion, membership lists and the
// organization's repositories. Teams are in teams.ts; who may do what in org-access.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import { scopeCeiling } from '../auth/access';
import { permissionFor } from '../auth/permission';
import {
  deleteOrgWithoutRepos,
  findOrgById,
  insertOrg,
  listMemberOrgs,
  listOrgMembers,
  listVisibleOrgs,
  ORG_VISIBILITIES,
  type OrgFields,
  type OrgVisibility,
  updateOrg,
} from '../db/orgs';
import { listOwnerRepos } from '../db/repos';
import { findUserByName } from '../db/users';
import { newOwnerNameRefusal } from '../services/namespace';
import { joinCreatorTeams, repoOwnerFor } from '../services/repo-owner';
import { type JsonObject, optionalBoolean, optionalString, readJsonObject, requiredString } from './body';
import { type AppEnv, currentActor, requireActor } from './context';
import { ApiError, conflict, invalid, notFound } from './errors';
import { describe } from './openapi/describe';
import { orgViewerId, requireOrg } from './org-access';
import { memberJson, orgJson } from './org-json';
import { repoJsonFor } from './repo-json';
import { RepositorySchema } from './schemas/repository';
import { createRepoFromBody, pageOf, repoListJson } from './users';
import { DESCRIPTION_MAX, FULL_NAME_MAX } from './validate';

export const orgsApi = new Hono<AppEnv>();

const FIELD_MAX = 255;

function orgFields(body: JsonObject): OrgFields {
  const visibility = optionalString(body, 'visibility', 16);
  if (visibility !== undefined && !ORG_VISIBILITIES.includes(visibility as OrgVisibility))
    throw invalid("visibility must be 'public', 'limited' or 'private'");
  return {
    fullName: optionalString(body, 'full_name', FULL_NAME_MAX),
    email: optionalString(body, 'email', FIELD_MAX),
    description: optionalString(body, 'description', DESCRIPTION_MAX),
    website: optionalString(body, 'website', FIELD_MAX),
    location: optionalString(body, 'location', FIELD_MAX),
    visibility: visibility as OrgVisibility | undefined,
    repoAdminChangeTeamAccess: optionalBoolean(body, 'repo_admin_change_team_access'),
  };
}

orgsApi.post(
  '/api/v1/orgs',
  describe({
    summary: 'Create an organization',
    tags: ['organization'],
    operationId: 'orgCreate',
    responses: { 201: 'Organization' },
  }),
);
orgsApi.post('/api/v1/orgs', async (c) => {
  const actor = requireActor(c, { level: 'write', area: 'organization' });
  const body = await readJsonObject(c);
  const name = requiredString(body, 'username', 100);
  const fields = orgFields(body);
  const refusal = await newOwnerNameRefusal(c.env.DB, name);
  if (refusal) throw new ApiError(refusal.status, refusal.message);
  const org = await insertOrg(c.env.DB, name, actor.userId, fields);
  if (!org) throw conflict(`the name '${name}' is already taken by a user or an organization`);
  return c.json(orgJson(org), 201);
});

orgsApi.get(
  '/api/v1/orgs',
  describe({
    summary: 'Get list of organizations',
    tags: ['organization'],
    operationId: 'orgGetAll',
    responses: { 200: 'OrganizationList' },
  }),
);
orgsApi.get('/api/v1/orgs', async (c) => {
  const { limit, offset } = pageOf(c);
  return c.json((await listVisibleOrgs(c.env.DB, orgViewerId(currentActor(c)), limit, offset)).map(orgJson));
});

orgsApi.get(
  '/api/v1/orgs/:org',
  describe({
    summary: 'Get an organization',
    tags: ['organization'],
    operationId: 'orgGet',
    responses: { 200: 'Organization' },
  }),
);
orgsApi.get('/api/v1/orgs/:org', async (c) => {
  const { org } = await requireOrg(c, c.req.param('org'), 'read');
  return c.json(orgJson(org));
});

orgsApi.patch(
  '/api/v1/orgs/:org',
  describe({
    summary: 'Edit an organization',
    tags: ['organization'],
    operationId: 'orgEdit',
    responses: { 200: 'Organization' },
  }),
);
orgsApi.patch('/api/v1/orgs/:org', async (c) => {
  const { org } = await requireOrg(c, c.req.param('org'), 'owner');
  await updateOrg(c.env.DB, org.id, orgFields(await readJsonObject(c)));
  const updated = await findOrgById(c.env.DB, org.id);
  if (!updated) throw notFound('organization not found');
  return c.json(orgJson(updated));
});

orgsApi.delete(
  '/api/v1/orgs/:org',
  describe({
    summary: 'Delete an organization',
    tags: ['organization'],
    operationId: 'orgDelete',
    responses: { 204: 'deleted' },
  }),
);
orgsApi.delete('/api/v1/orgs/:org', async (c) => {
  const { org } = await requireOrg(c, c.req.param('org'), 'owner');
  if (!(await deleteOrgWithoutRepos(c.env.DB, org.id)))
    throw conflict('the organization still owns repositories: delete or transfer them first');
  return c.body(null, 204);
});

orgsApi.get(
  '/api/v1/user/orgs',
  describe({
    summary: "List the current user's organizations",
    tags: ['organization'],
    operationId: 'orgListCurrentUserOrgs',
    responses: { 200: 'OrganizationList' },
  }),
);
orgsApi.get('/api/v1/user/orgs', async (c) => {
  const actor = requireActor(c, { level: 'read', area: 'organization' });
  return c.json((await listMemberOrgs(c.env.DB, actor.userId, actor.userId)).map(orgJson));
});

orgsApi.get(
  '/api/v1/users/:username/orgs',
  describe({
    summary: "List a user's organizations",
    tags: ['organization'],
    operationId: 'orgListUserOrgs',
    responses: { 200: 'OrganizationList' },
  }),
);
orgsApi.get('/api/v1/users/:username/orgs', async (c) => {
  const user = await findUserByName(c.env.DB, c.req.param('username'));
  if (!user) throw notFound('user not found');
  return c.json((await listMemberOrgs(c.env.DB, user.id, orgViewerId(currentActor(c)))).map(orgJson));
});

orgsApi.get(
  '/api/v1/orgs/:org/members',
  describe({
    summary: "List an organization's members",
    tags: ['organization'],
    operationId: 'orgListMembers',
    responses: { 200: 'UserList' },
  }),
);
orgsApi.get('/api/v1/orgs/:org/members', async (c) => {
  const { org } = await requireOrg(c, c.req.param('org'), 'member');
  return c.json((await listOrgMembers(c.env.DB, org.id)).map(memberJson));
});

orgsApi.get(
  '/api/v1/orgs/:org/repos',
  describe({
    summary: "List an organization's repos",
    tags: ['organization'],
    operationId: 'orgListRepos',
    responses: { 200: z.array(RepositorySchema) },
  }),
);
orgsApi.get('/api/v1/orgs/:org/repos', async (c) => {
  const { org, actor } = await requireOrg(c, c.req.param('org'), 'read');
  // A token without repository scope sees what an anonymous caller sees.
  const viewer = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
  return c.json(await repoListJson(c, await listOwnerRepos(c.env.DB, org.id, viewer, pageOf(c))));
});

/** Owners create repositories, and members of a team allowed to (can_create_org_repo); such a
 * repository joins those teams, so its creator can work in it (Gitea's rule). */
orgsApi.post(
  '/api/v1/orgs/:org/repos',
  describe({
    summary: 'Create a repository in an organization',
    tags: ['organization'],
    operationId: 'createOrgRepo',
    responses: { 201: RepositorySchema },
  }),
);
orgsApi.post('/api/v1/orgs/:org/repos', async (c) => {
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const { org } = await requireOrg(c, c.req.param('org'), 'read');
  const target = await repoOwnerFor(c.env.DB, actor, org.login);
  if (!target.ok) throw new ApiError(target.status, target.message);
  const repo = await createRepoFromBody(c, target.ownerId, target.ownerLogin);
  await joinCreatorTeams(c.env.DB, target, repo.id);
  return c.json(await repoJsonFor(c, repo, await permissionFor(c.env, actor, repo)), 201);
});
