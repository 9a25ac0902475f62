// Collaborators: owner and admins manage them; anyone who can read the repository may list them.
import { Hono } from 'hono';
import { z } from 'zod';
import { permissionFor } from '../auth/permission';
import {
  type CollaboratorPermission,
  deleteCollaborator,
  findCollaboratorPermission,
  listCollaborators,
  upsertCollaborator,
} from '../db/repos';
import { findUserByName } from '../db/users';
import { readJsonObject } from './body';
import { type AppEnv, requireRepo } from './context';
import { invalid, notFound } from './errors';
import { collaboratorJson } from './format';
import { describe } from './openapi/describe';
import { CollaboratorSchema, RepoCollaboratorPermissionSchema } from './schemas/repository';

export const collaboratorsApi = new Hono<AppEnv>();

const PERMISSIONS: readonly CollaboratorPermission[] = ['read', 'write', 'admin'];

collaboratorsApi.get(
  '/api/v1/repos/:owner/:repo/collaborators',
  describe({
    summary: "List a repository's collaborators",
    tags: ['repository'],
    operationId: 'repoListCollaborators',
    responses: { 200: z.array(CollaboratorSchema) },
  }),
);
collaboratorsApi.get('/api/v1/repos/:owner/:repo/collaborators', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  return c.json((await listCollaborators(c.env.DB, repo.id)).map(collaboratorJson));
});

collaboratorsApi.get(
  '/api/v1/repos/:owner/:repo/collaborators/:user',
  describe({
    summary: 'Check if a user is a collaborator of a repository',
    tags: ['repository'],
    operationId: 'repoCheckCollaborator',
    responses: { 204: 'the user is a collaborator', 404: 'the user is not a collaborator' },
  }),
);
collaboratorsApi.get('/api/v1/repos/:owner/:repo/collaborators/:user', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const user = await findUserByName(c.env.DB, c.req.param('user'));
  if (!user || !(await findCollaboratorPermission(c.env.DB, repo.id, user.id)))
    throw notFound('not a collaborator');
  return c.body(null, 204);
});

/** Gitea's permission query: what a given user may do on the repository. */
collaboratorsApi.get(
  '/api/v1/repos/:owner/:repo/collaborators/:user/permission',
  describe({
    summary: 'Get repository permissions for a user',
    tags: ['repository'],
    operationId: 'repoGetRepoPermissions',
    responses: { 200: RepoCollaboratorPermissionSchema },
  }),
);
collaboratorsApi.get('/api/v1/repos/:owner/:repo/collaborators/:user/permission', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const user = await findUserByName(c.env.DB, c.req.param('user'));
  if (!user) throw notFound('user not found');
  const permission = await permissionFor(c.env, { userId: user.id, scopes: ['all'] }, repo);
  return c.json({ permission, role_name: permission, user: { id: user.id, login: user.login } });
});

collaboratorsApi.put(
  '/api/v1/repos/:owner/:repo/collaborators/:user',
  describe({
    summary: 'Add or update a collaborator of a repository',
    tags: ['repository'],
    operationId: 'repoAddCollaborator',
    body: z.strictObject({ permission: z.enum(['read', 'write', 'admin']).optional() }),
    responses: { 204: 'added or updated' },
  }),
);
collaboratorsApi.put('/api/v1/repos/:owner/:repo/collaborators/:user', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  const user = await findUserByName(c.env.DB, c.req.param('user'));
  if (!user) throw notFound('user not found');
  let permission: CollaboratorPermission = 'write';
  const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('transfer-encoding');
  if (hasBody) {
    const body = await readJsonObject(c);
    const p = body.permission;
    if (p !== undefined && p !== null) {
      if (typeof p !== 'string' || !PERMISSIONS.includes(p as CollaboratorPermission)) {
        throw invalid("permission must be 'read', 'write' or 'admin'");
      }
      permission = p as CollaboratorPermission;
    }
  }
  if (user.id === repo.ownerId) throw invalid('the owner is not a collaborator of their own repository');
  await upsertCollaborator(c.env.DB, repo.id, user.id, permission);
  return c.body(null, 204);
});

collaboratorsApi.delete(
  '/api/v1/repos/:owner/:repo/collaborators/:user',
  describe({
    summary: 'Delete a collaborator from a repository',
    tags: ['repository'],
    operationId: 'repoDeleteCollaborator',
    responses: { 204: 'removed' },
  }),
);
collaboratorsApi.delete('/api/v1/repos/:owner/:repo/collaborators/:user', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  const user = await findUserByName(c.env.DB, c.req.param('user'));
  if (!user || !(await deleteCollaborator(c.env.DB, repo.id, user.id))) throw notFound('not a collaborator');
  return c.body(null, 204);
});
