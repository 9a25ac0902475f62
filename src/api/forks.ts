// Forks: making one (Gitea's POST .../forks, 202) and listing a repository's forks.
import { Hono } from 'hono';
import { scopeCeiling } from '../auth/access';
import { listForks } from '../db/repos';
import { forkRepository } from '../services/fork';
import { optionalString, readJsonObject } from './body';
import { type AppEnv, requireActor, requireRepo } from './context';
import { ApiError, invalid } from './errors';
import { repoJsonFor } from './repo-json';
import { pageOf, repoListJson } from './users';
import { REPO_NAME_MAX, repoNameProblem } from './validate';

export const forksApi = new Hono<AppEnv>();

forksApi.get('/api/v1/repos/:owner/:repo/forks', async (c) => {
  const { repo, actor } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  // A token without repository scope sees what an anonymous caller sees.
  const viewer = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
  return c.json(await repoListJson(c, await listForks(c.env.DB, repo.id, viewer, pageOf(c))));
});

forksApi.post('/api/v1/repos/:owner/:repo/forks', async (c) => {
  // Read access first: a repository the caller cannot read is 404 whoever asks.
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const body = c.req.raw.body === null ? {} : await readJsonObject(c);
  const organization = optionalString(body, 'organization', REPO_NAME_MAX + 1);
  if (organization && organization.toLowerCase() !== actor.username.toLowerCase()) {
    throw invalid('forking into an organization is not supported; fork into your own account');
  }
  const name = optionalString(body, 'name', REPO_NAME_MAX + 1) || repo.name;
  const problem = repoNameProblem(name);
  if (problem) throw invalid(problem);
  const outcome = await forkRepository(c.env, {
    parent: repo,
    ownerId: actor.userId,
    ownerLogin: actor.username,
    name,
  });
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.message);
  return c.json(await repoJsonFor(c, outcome.fork, 'admin'), 202);
});
