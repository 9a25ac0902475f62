// Teams (Gitea's API): an organization's owners create and manage them; members see them. The
// Owners team always exists, keeps its powers and is never left empty.
import { Hono } from 'hono';
import { z } from 'zod';
import { findOrgById, isOrg } from '../db/orgs';
import { findRepo, findRepoById, listOwnerRepos, type RepoRecord } from '../db/repos';
import {
  addTeamMember,
  addTeamRepo,
  deleteTeam,
  findTeam,
  insertTeam,
  isTeamMember,
  listTeamMembers,
  listTeamRepoIds,
  listTeams,
  removeTeamMember,
  removeTeamRepo,
  type TeamFields,
  type TeamRecord,
  updateTeam,
} from '../db/teams';
import { findUserByName, type UserRecord } from '../db/users';
import {
  type JsonObject,
  optionalBoolean,
  optionalString,
  optionalStringArray,
  readJsonObject,
  requiredString,
} from './body';
import { type ApiContext, type AppEnv, currentActor, requireActor } from './context';
import { conflict, invalid, notFound } from './errors';
import { describe } from './openapi/describe';
import { type OrgAccess, type OrgNeed, orgAccessOf, requireOrg } from './org-access';
import { memberJson, teamJson } from './org-json';
import { repoListJson } from './repo-json';
import { RepositorySchema } from './schemas/repository';
import { DESCRIPTION_MAX } from './validate';

export const teamsApi = new Hono<AppEnv>();

const TEAM_NAME_RE = /^[A-Za-z0-9._-]{1,255}$/;
const TEAM_PERMISSIONS = ['read', 'write', 'admin'] as const;
type TeamGrant = (typeof TEAM_PERMISSIONS)[number];

function teamFields(body: JsonObject, creating: boolean): TeamFields {
  const name = creating ? requiredString(body, 'name', 255) : optionalString(body, 'name', 255);
  if (name !== undefined && !TEAM_NAME_RE.test(name))
    throw invalid("team name must be 1-255 letters, digits, '.', '-' or '_'");
  const permission = optionalString(body, 'permission', 16);
  if (permission !== undefined && !TEAM_PERMISSIONS.includes(permission as TeamGrant))
    throw invalid("permission must be 'read', 'write' or 'admin'");
  return {
    name,
    description: optionalString(body, 'description', DESCRIPTION_MAX),
    permission: permission as TeamGrant | undefined,
    includesAllRepositories: optionalBoolean(body, 'includes_all_repositories'),
    canCreateOrgRepo: optionalBoolean(body, 'can_create_org_repo'),
    units: optionalStringArray(body, 'units', 32, 64),
  };
}

/** The team `id` and its organization, if the caller may `need` it (404 when missing or its
 * organization is invisible to the caller). */
async function requireTeam(
  c: ApiContext,
  id: string,
  need: OrgNeed,
): Promise<OrgAccess & { team: TeamRecord }> {
  const actor =
    need === 'owner' ? requireActor(c, { level: 'write', area: 'organization' }) : currentActor(c);
  const n = Number(id);
  const team = Number.isSafeInteger(n) && n > 0 ? await findTeam(c.env.DB, n) : null;
  const org = team ? await findOrgById(c.env.DB, team.orgId) : null;
  if (!team || !org) throw notFound('team not found');
  return { ...(await orgAccessOf(c, org, actor, need)), team };
}

/** A person (not an organization) by name. */
async function requirePerson(c: ApiContext, name: string): Promise<UserRecord> {
  const user = await findUserByName(c.env.DB, name);
  if (!user) throw notFound('user not found');
  if (await isOrg(c.env.DB, user.id)) throw invalid('an organization cannot be a team member');
  return user;
}

teamsApi.get(
  '/api/v1/orgs/:org/teams',
  describe({
    summary: "List an organization's teams",
    tags: ['organization'],
    operationId: 'orgListTeams',
    responses: { 200: 'TeamList' },
  }),
);
teamsApi.get('/api/v1/orgs/:org/teams', async (c) => {
  const { org } = await requireOrg(c, c.req.param('org'), 'member');
  return c.json((await listTeams(c.env.DB, org.id)).map((t) => teamJson(t, org)));
});

teamsApi.post(
  '/api/v1/orgs/:org/teams',
  describe({
    summary: 'Create a team',
    tags: ['organization'],
    operationId: 'orgCreateTeam',
    responses: { 201: 'Team' },
  }),
);
teamsApi.post('/api/v1/orgs/:org/teams', async (c) => {
  const { org } = await requireOrg(c, c.req.param('org'), 'owner');
  const f = teamFields(await readJsonObject(c), true);
  const name = f.name ?? '';
  const team = await insertTeam(c.env.DB, org.id, { ...f, name, permission: f.permission ?? 'read' });
  if (!team) throw conflict(`the organization already has a team named '${name}'`);
  return c.json(teamJson(team, org), 201);
});

teamsApi.get(
  '/api/v1/teams/:id',
  describe({
    summary: 'Get a team',
    tags: ['organization'],
    operationId: 'orgGetTeam',
    responses: { 200: 'Team' },
  }),
);
teamsApi.get('/api/v1/teams/:id', async (c) => {
  const { team, org } = await requireTeam(c, c.req.param('id'), 'member');
  return c.json(teamJson(team, org));
});

teamsApi.patch(
  '/api/v1/teams/:id',
  describe({
    summary: 'Edit a team',
    tags: ['organization'],
    operationId: 'orgEditTeam',
    responses: { 200: 'Team' },
  }),
);
teamsApi.patch('/api/v1/teams/:id', async (c) => {
  const { team, org } = await requireTeam(c, c.req.param('id'), 'owner');
  const f = teamFields(await readJsonObject(c), false);
  if (team.permission === 'owner') {
    const renamed = f.name !== undefined && f.name.toLowerCase() !== team.name.toLowerCase();
    if (renamed || f.permission !== undefined || f.includesAllRepositories === false)
      throw invalid('the Owners team keeps its name, its owner permission and all repositories');
  }
  if ((await updateTeam(c.env.DB, team.id, f)) === 'conflict')
    throw conflict(`the organization already has a team named '${f.name}'`);
  const updated = await findTeam(c.env.DB, team.id);
  if (!updated) throw notFound('team not found');
  return c.json(teamJson(updated, org));
});

teamsApi.delete(
  '/api/v1/teams/:id',
  describe({
    summary: 'Delete a team',
    tags: ['organization'],
    operationId: 'orgDeleteTeam',
    responses: { 204: 'deleted' },
  }),
);
teamsApi.delete('/api/v1/teams/:id', async (c) => {
  const { team } = await requireTeam(c, c.req.param('id'), 'owner');
  if (team.permission === 'owner') throw invalid('the Owners team cannot be deleted');
  await deleteTeam(c.env.DB, team.id);
  return c.body(null, 204);
});

teamsApi.get(
  '/api/v1/teams/:id/members',
  describe({
    summary: "List a team's members",
    tags: ['organization'],
    operationId: 'orgListTeamMembers',
    responses: { 200: 'UserList' },
  }),
);
teamsApi.get('/api/v1/teams/:id/members', async (c) => {
  const { team } = await requireTeam(c, c.req.param('id'), 'member');
  return c.json((await listTeamMembers(c.env.DB, team.id)).map(memberJson));
});

teamsApi.get(
  '/api/v1/teams/:id/members/:user',
  describe({
    summary: 'List a particular member of team',
    tags: ['organization'],
    operationId: 'orgListTeamMember',
    responses: { 200: 'User' },
  }),
);
teamsApi.get('/api/v1/teams/:id/members/:user', async (c) => {
  const { team } = await requireTeam(c, c.req.param('id'), 'member');
  const user = await findUserByName(c.env.DB, c.req.param('user'));
  if (!user || !(await isTeamMember(c.env.DB, team.id, user.id))) throw notFound('not a member of the team');
  return c.json(memberJson({ userId: user.id, login: user.login, fullName: user.fullName }));
});

teamsApi.put(
  '/api/v1/teams/:id/members/:user',
  describe({
    summary: 'Add a team member',
    tags: ['organization'],
    operationId: 'orgAddTeamMember',
    responses: { 204: 'added' },
  }),
);
teamsApi.put('/api/v1/teams/:id/members/:user', async (c) => {
  const { team } = await requireTeam(c, c.req.param('id'), 'owner');
  const user = await requirePerson(c, c.req.param('user'));
  await addTeamMember(c.env.DB, team.id, user.id);
  return c.body(null, 204);
});

teamsApi.delete(
  '/api/v1/teams/:id/members/:user',
  describe({
    summary: 'Remove a team member',
    tags: ['organization'],
    operationId: 'orgRemoveTeamMember',
    responses: { 204: 'removed' },
  }),
);
teamsApi.delete('/api/v1/teams/:id/members/:user', async (c) => {
  const { team } = await requireTeam(c, c.req.param('id'), 'owner');
  const user = await findUserByName(c.env.DB, c.req.param('user'));
  const outcome = user ? await removeTeamMember(c.env.DB, team.id, user.id) : 'missing';
  if (outcome === 'missing') throw notFound('not a member of the team');
  if (outcome === 'last-owner') throw invalid('the last member of the Owners team cannot be removed');
  return c.body(null, 204);
});

teamsApi.get(
  '/api/v1/teams/:id/repos',
  describe({
    summary: "List a team's repos",
    tags: ['organization'],
    operationId: 'orgListTeamRepos',
    responses: { 200: z.array(RepositorySchema) },
  }),
);
teamsApi.get('/api/v1/teams/:id/repos', async (c) => {
  const { team, org, actor } = await requireTeam(c, c.req.param('id'), 'member');
  const repos: RepoRecord[] =
    team.includesAllRepositories || team.permission === 'owner'
      ? await listOwnerRepos(c.env.DB, org.id, actor?.userId ?? null, { limit: 100, offset: 0 })
      : (
          await Promise.all(
            (await listTeamRepoIds(c.env.DB, team.id)).map((id) => findRepoById(c.env.DB, id)),
          )
        ).filter((r): r is RepoRecord => r !== null);
  return c.json(await repoListJson(c, repos));
});

/** The organization's repository `org/repo` for a team of that organization (404 otherwise). */
async function teamRepo(c: ApiContext, team: TeamRecord): Promise<RepoRecord> {
  const repo = await findRepo(c.env.DB, c.req.param('org') ?? '', c.req.param('repo') ?? '');
  if (!repo || repo.ownerId !== team.orgId) throw notFound('repository not found in the organization');
  return repo;
}

teamsApi.put(
  '/api/v1/teams/:id/repos/:org/:repo',
  describe({
    summary: 'Add a repository to a team',
    tags: ['organization'],
    operationId: 'orgAddTeamRepository',
    responses: { 204: 'added' },
  }),
);
teamsApi.put('/api/v1/teams/:id/repos/:org/:repo', async (c) => {
  const { team } = await requireTeam(c, c.req.param('id'), 'owner');
  await addTeamRepo(c.env.DB, team.id, (await teamRepo(c, team)).id);
  return c.body(null, 204);
});

teamsApi.delete(
  '/api/v1/teams/:id/repos/:org/:repo',
  describe({
    summary: 'Remove a repository from a team',
    tags: ['organization'],
    operationId: 'orgRemoveTeamRepository',
    responses: { 204: 'removed' },
  }),
);
teamsApi.delete('/api/v1/teams/:id/repos/:org/:repo', async (c) => {
  const { team } = await requireTeam(c, c.req.param('id'), 'owner');
  if (!(await removeTeamRepo(c.env.DB, team.id, (await teamRepo(c, team)).id)))
    throw notFound('the team does not have this repository');
  return c.body(null, 204);
});
