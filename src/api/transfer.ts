// Transferring a repository between a user and an organization (Gitea's POST .../transfer). The
// caller must be an admin of the repository and, on the other side, the new owner itself or an
// owner of the new organization; the repository keeps its id, so its Durable Object, history,
// issues and pull requests move with it, and its old owner/name keeps answering.
import { Hono } from 'hono';
import { permissionFor } from '../auth/permission';
import { findOrgById } from '../db/orgs';
import { transferRepo } from '../db/repo-transfer';
import { findRepoById } from '../db/repos';
import { findUserByName } from '../db/users';
import { readJsonObject, requiredString } from './body';
import { type AppEnv, requireRepo } from './context';
import { conflict, forbidden, invalid, notFound } from './errors';
import { describe } from './openapi/describe';
import { orgAccessOf } from './org-access';
import { repoJsonFor } from './repo-json';
import { RepositorySchema } from './schemas/repository';

export const transferApi = new Hono<AppEnv>();

transferApi.post(
  '/api/v1/repos/:owner/:repo/transfer',
  describe({
    summary: 'Transfer a repo ownership',
    tags: ['repository'],
    operationId: 'repoTransfer',
    responses: { 202: RepositorySchema },
  }),
);
transferApi.post('/api/v1/repos/:owner/:repo/transfer', async (c) => {
  const { repo, actor } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  if (!actor) throw notFound('repository not found');
  const newOwner = requiredString(await readJsonObject(c), 'new_owner', 100);
  const target = await findUserByName(c.env.DB, newOwner);
  if (!target) throw notFound('new owner not found');
  if (target.id === repo.ownerId) throw invalid(`${target.login} already owns this repository`);
  const org = await findOrgById(c.env.DB, target.id);
  if (org) {
    // 404 when the organization hides itself from the caller, 403 short of owning it.
    if (!(await orgAccessOf(c, org, actor, 'read')).owner)
      throw forbidden('only owners of the new organization may transfer a repository to it');
  } else if (target.id !== actor.userId) {
    throw forbidden('a repository moves only to yourself or to an organization you own');
  }
  if (
    (await transferRepo(c.env.DB, repo.id, repo.ownerId, repo.name.toLowerCase(), target.id)) === 'conflict'
  )
    throw conflict(`${target.login} already has a repository named ${repo.name}`);
  const moved = await findRepoById(c.env.DB, repo.id);
  if (!moved) throw notFound('repository not found');
  return c.json(await repoJsonFor(c, moved, await permissionFor(c.env, actor, moved)), 202);
});
