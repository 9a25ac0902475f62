// Users: the caller, other users, and their repository lists.
import { Hono } from 'hono';
import { z } from 'zod';
import { scopeCeiling } from '../auth/access';
import { isOrg } from '../db/orgs';
import { insertRepo, listOwnerRepos, listUserRepos, type Page, type RepoRecord } from '../db/repos';
import { findUserById, findUserByName, type UserRecord, updateUserSettings } from '../db/users';
import { pageLimit, pageNumber } from '../services/paging';
import { optionalBoolean, optionalString, readJsonObject, requiredString } from './body';
import { type ApiContext, type AppEnv, currentActor, requestOrigin, requireActor } from './context';
import { conflict, invalid, notFound } from './errors';
import { userJson } from './format';
import { describe } from './openapi/describe';
import { requireOrg } from './org-access';
import { repoJsonFor, repoListJson } from './repo-json';
import { pageQuery } from './schemas/common';
import { CreateRepoOptionSchema, RepositorySchema } from './schemas/repository';
import type { UserSettings } from './schemas/user';
import { UserSchema, UserSettingsSchema } from './schemas/user';
import {
  BRANCH_NAME_MAX,
  DESCRIPTION_MAX,
  FULL_NAME_MAX,
  isValidBranchName,
  REPO_NAME_MAX,
  repoNameProblem,
} from './validate';

export const usersApi = new Hono<AppEnv>();

export { repoListJson };

/** Gitea's `page` (from 1) and `limit` (default 30, at most 50) query parameters. */
export function pageOf(c: ApiContext): Page {
  const limit = pageLimit(c.req.query('limit'));
  return { limit, offset: (pageNumber(c.req.query('page')) - 1) * limit };
}

/** The caller's own account, by id: never looked up by a name the caller could influence. */
async function ownAccount(c: ApiContext, level: 'read' | 'write'): Promise<UserRecord> {
  const actor = requireActor(c, { level, area: 'user' });
  const user = await findUserById(c.env.DB, actor.userId);
  if (!user) throw notFound('user not found');
  return user;
}

usersApi.get(
  '/api/v1/user',
  describe({
    summary: 'Get the authenticated user',
    tags: ['user'],
    operationId: 'userGetCurrent',
    responses: { 200: UserSchema },
  }),
);
usersApi.get('/api/v1/user', async (c) =>
  c.json(userJson(await ownAccount(c, 'read'), { showEmail: true, origin: requestOrigin(c) })),
);

/** Gitea's user settings; `hide_email` (Gitea's name here) and `keep_email_private` (its
 * account field) are one setting: commits the server makes carry a no-reply address. */
function settingsJson(u: UserRecord): UserSettings {
  return { full_name: u.fullName, hide_email: u.keepEmailPrivate, keep_email_private: u.keepEmailPrivate };
}

usersApi.get(
  '/api/v1/user/settings',
  describe({
    summary: "Get the authenticated user's settings",
    tags: ['user'],
    operationId: 'getUserSettings',
    responses: { 200: UserSettingsSchema },
  }),
);
usersApi.get('/api/v1/user/settings', async (c) => c.json(settingsJson(await ownAccount(c, 'read'))));

usersApi.patch(
  '/api/v1/user/settings',
  describe({
    summary: "Update the authenticated user's settings",
    tags: ['user'],
    operationId: 'updateUserSettings',
    body: UserSettingsSchema.partial(),
    responses: { 200: UserSettingsSchema },
  }),
);
usersApi.patch('/api/v1/user/settings', async (c) => {
  const user = await ownAccount(c, 'write');
  const body = await readJsonObject(c);
  const hide = optionalBoolean(body, 'hide_email');
  const keep = optionalBoolean(body, 'keep_email_private');
  if (hide !== undefined && keep !== undefined && hide !== keep)
    throw invalid('hide_email and keep_email_private are the same setting; give one value');
  await updateUserSettings(c.env.DB, user.id, {
    fullName: optionalString(body, 'full_name', FULL_NAME_MAX),
    keepEmailPrivate: keep ?? hide,
  });
  const updated = await findUserById(c.env.DB, user.id);
  if (!updated) throw notFound('user not found');
  return c.json(settingsJson(updated));
});

usersApi.get(
  '/api/v1/users/:username',
  describe({
    summary: 'Get a user (or an organization)',
    tags: ['user'],
    operationId: 'userGet',
    responses: { 200: UserSchema },
  }),
);
usersApi.get('/api/v1/users/:username', async (c) => {
  const user = await findUserByName(c.env.DB, c.req.param('username'));
  if (!user) throw notFound('user not found');
  // An organization answers here too (as in Gitea), unless it hides itself from the caller.
  if (await isOrg(c.env.DB, user.id)) await requireOrg(c, user.login, 'read');
  return c.json(userJson(user, { showEmail: currentActor(c)?.userId === user.id, origin: requestOrigin(c) }));
});

usersApi.get(
  '/api/v1/users/:username/repos',
  describe({
    summary: 'List the repos owned by the given user',
    tags: ['user'],
    operationId: 'userListRepos',
    query: z.object(pageQuery),
    responses: { 200: z.array(RepositorySchema) },
  }),
);
usersApi.get('/api/v1/users/:username/repos', async (c) => {
  const user = await findUserByName(c.env.DB, c.req.param('username'));
  if (!user) throw notFound('user not found');
  const actor = currentActor(c);
  // A token without repository scope sees what an anonymous caller sees.
  const viewer = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
  return c.json(await repoListJson(c, await listOwnerRepos(c.env.DB, user.id, viewer, pageOf(c))));
});

usersApi.get(
  '/api/v1/user/repos',
  describe({
    summary: 'List the repos that the authenticated user owns',
    tags: ['user'],
    operationId: 'userCurrentListRepos',
    query: z.object(pageQuery),
    responses: { 200: z.array(RepositorySchema) },
  }),
);
usersApi.get('/api/v1/user/repos', async (c) => {
  const actor = requireActor(c, { level: 'read', area: 'repository' });
  return c.json(await repoListJson(c, await listUserRepos(c.env.DB, actor.userId, pageOf(c))));
});

usersApi.post(
  '/api/v1/user/repos',
  describe({
    summary: 'Create a repository',
    tags: ['repository', 'user'],
    operationId: 'createCurrentUserRepo',
    body: CreateRepoOptionSchema,
    responses: { 201: RepositorySchema },
  }),
);
usersApi.post('/api/v1/user/repos', async (c) => {
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const repo = await createRepoFromBody(c, actor.userId, actor.username);
  return c.json(await repoJsonFor(c, repo, 'admin'), 201);
});

/** Creates the repository the request body describes (Gitea's CreateRepoOption) for an owner. */
export async function createRepoFromBody(
  c: ApiContext,
  ownerId: number,
  ownerLogin: string,
): Promise<RepoRecord> {
  const body = await readJsonObject(c);
  const name = requiredString(body, 'name', REPO_NAME_MAX + 1);
  const problem = repoNameProblem(name);
  if (problem) throw invalid(problem);
  const description = optionalString(body, 'description', DESCRIPTION_MAX) ?? '';
  const isPrivate = optionalBoolean(body, 'private') ?? false;
  const defaultBranch = optionalString(body, 'default_branch', BRANCH_NAME_MAX) || 'main';
  if (!isValidBranchName(defaultBranch)) throw invalid('default_branch is not a valid branch name');
  const repo = await insertRepo(c.env.DB, { ownerId, name, description, private: isPrivate, defaultBranch });
  if (!repo) throw conflict(`repository ${ownerLogin}/${name} already exists`);
  return repo;
}
