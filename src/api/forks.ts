// Forks: making one (Gitea's POST .../forks, 202) and listing a repository's forks.
import { Hono } from 'hono';
import { z } from 'zod';
import { scopeCeiling } from '../auth/access';
import { listForks } from '../db/repos';
import { forkRepository } from '../services/fork';
import { joinCreatorTeams, repoOwnerFor } from '../services/repo-owner';
import { optionalString, readJsonObject } from './body';
import { type AppEnv, requireActor, requireRepo } from './context';
import { ApiError, invalid } from './errors';
import { describe } from './openapi/describe';
import { repoJsonFor } from './repo-json';
import { RepositorySchema } from './schemas/repository';
import { pageOf, repoListJson } from './users';
import { REPO_NAME_MAX, repoNameProblem } from './validate';

export const forksApi = new Hono<AppEnv>();

forksApi.get(
  '/api/v1/repos/:owner/:repo/forks',
  describe({
    summary: "List a repository's forks",
    tags: ['repository'],
    operationId: 'listForks',
    responses: { 200: z.array(RepositorySchema) },
  }),
);
forksApi.get('/api/v1/repos/:owner/:repo/forks', async (c) => {
  const { repo, actor } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  // A token without repository scope sees what an anonymous caller sees.
  const viewer = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
  return c.json(await repoListJson(c, await listForks(c.env.DB, repo.id, viewer, pageOf(c))));
});

forksApi.post(
  '/api/v1/repos/:owner/:repo/forks',
  describe({
    summary: 'Fork a repository',
    tags: ['repository'],
    operationId: 'createFork',
    responses: { 202: RepositorySchema },
  }),
);
forksApi.post('/api/v1/repos/:owner/:repo/forks', async (c) => {
  // Read access first: a repository the caller cannot read is 404 whoever asks.
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const body = c.req.raw.body === null ? {} : await readJsonObject(c);
  // Gitea's field: the organization to fork into (the caller's own account when absent).
  const target = await repoOwnerFor(c.env.DB, actor, optionalString(body, 'organization', REPO_NAME_MAX + 1));
  if (!target.ok) throw new ApiError(target.status, target.message);
  const name = optionalString(body, 'name', REPO_NAME_MAX + 1) || repo.name;
  const problem = repoNameProblem(name);
  if (problem) throw invalid(problem);
  const outcome = await forkRepository(c.env, {
    parent: repo,
    ownerId: target.ownerId,
    ownerLogin: target.ownerLogin,
    name,
  });
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.message);
  await joinCreatorTeams(c.env.DB, target, outcome.fork.id);
  return c.json(await repoJsonFor(c, outcome.fork, 'admin'), 202);
});
