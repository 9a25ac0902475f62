// Migrations and pull mirrors: the server fetches a repository from another git server.
import { Hono } from 'hono';
import { findImport, insertImport } from '../db/migration-import';
import { findMirror, insertMirror, markRetrying } from '../db/mirrors';
import { findRepoById, insertRepo } from '../db/repos';
import { GITEA_SERVICES } from '../services/gitea-import/start';
import { checkOutboundUrl, OutboundRefusedError } from '../services/outbound/fetch';
import { sourceAuthorization } from '../services/outbound/git-transport';
import { seal, sealingSecret } from '../services/outbound/sealed';
import { repoClient } from '../services/repo-client';
import { joinCreatorTeams, repoOwnerFor } from '../services/repo-owner';
import { optionalBoolean, optionalString, readJsonObject, requiredString } from './body';
import { type AppEnv, requestOrigin, requireActor, requireRepo } from './context';
import { ApiError, badRequest, busyError, conflict, invalid } from './errors';
import { giteaImportPlan } from './migration-gitea';
import {
  DEFAULT_MIRROR_INTERVAL_SECONDS,
  MIN_MIRROR_INTERVAL_SECONDS,
  parseMirrorInterval,
} from './mirror-interval';
import { describe } from './openapi/describe';
import { mirrorJson, repoJsonFor } from './repo-json';
import { MigrateRepoOptionsSchema, RepositorySchema } from './schemas/repository';
import { DESCRIPTION_MAX, REPO_NAME_MAX, repoNameProblem } from './validate';

export const migrationsApi = new Hono<AppEnv>();

const URL_MAX = 2048;
const SECRET_MAX = 1024;

migrationsApi.post(
  '/api/v1/repos/migrate',
  describe({
    summary: 'Migrate a remote git repository',
    tags: ['repository'],
    operationId: 'repoMigrate',
    body: MigrateRepoOptionsSchema,
    responses: { 201: RepositorySchema },
  }),
);
migrationsApi.post('/api/v1/repos/migrate', async (c) => {
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const body = await readJsonObject(c);
  const service = (optionalString(body, 'service', 20) ?? 'git').toLowerCase();
  const gitea = GITEA_SERVICES.includes(service);
  if (service !== 'git' && !gitea)
    throw invalid(`service "${service}" is not supported (only "git" and "gitea")`);
  const name = requiredString(body, 'repo_name', REPO_NAME_MAX + 1);
  const problem = repoNameProblem(name);
  if (problem) throw invalid(problem);
  const target = await repoOwnerFor(
    c.env.DB,
    actor,
    optionalString(body, 'repo_owner', REPO_NAME_MAX + 1),
    403,
  );
  if (!target.ok) throw new ApiError(target.status, target.message);
  const source = sourceUrl(requiredString(body, 'clone_addr', URL_MAX));
  try {
    checkOutboundUrl(c.env, source.url);
  } catch (e) {
    if (e instanceof OutboundRefusedError) throw invalid(`clone_addr refused: ${e.message}`);
    throw e;
  }
  const creds = {
    username: optionalString(body, 'auth_username', SECRET_MAX) ?? source.username,
    password: optionalString(body, 'auth_password', SECRET_MAX) ?? source.password,
    token: optionalString(body, 'auth_token', SECRET_MAX),
  };
  const authorization = sourceAuthorization(creds);
  const mirror = optionalBoolean(body, 'mirror') ?? false;
  const intervalText = optionalString(body, 'mirror_interval', 40);
  const interval =
    intervalText === undefined ? DEFAULT_MIRROR_INTERVAL_SECONDS : parseMirrorInterval(intervalText);
  if (interval === null || (interval > 0 && interval < MIN_MIRROR_INTERVAL_SECONDS)) {
    throw invalid(
      'mirror_interval must be a duration such as "8h0m0s", at least 10m, or 0 to sync only on demand',
    );
  }
  // A Gitea-service migration that is no mirror imports issues, pulls... (a mirror: git only, as Gitea).
  const giteaImport = gitea && !mirror ? await giteaImportPlan(body, source.url, creds, actor.userId) : null;
  const sealed = async (plain: string | null) => {
    if (!plain) return null;
    const secret = sealingSecret(c.env);
    if (!secret) throw invalid('the server has no secret to keep credentials with');
    return seal(secret, plain);
  };
  const credentials = await sealed(authorization);
  const apiCredentials = giteaImport ? await sealed(giteaImport.authorization) : null;
  const repo = await insertRepo(c.env.DB, {
    ownerId: target.ownerId,
    name,
    description: optionalString(body, 'description', DESCRIPTION_MAX) ?? '',
    private: optionalBoolean(body, 'private') ?? false,
    defaultBranch: 'main',
  });
  if (!repo) throw conflict(`repository ${target.ownerLogin}/${name} already exists`);
  await joinCreatorTeams(c.env.DB, target, repo.id);
  await insertMirror(c.env.DB, {
    repoId: repo.id,
    cloneAddr: source.url,
    credentials,
    mirror,
    intervalSeconds: interval,
  });
  if (giteaImport) await insertImport(c.env.DB, repo.id, giteaImport.options, apiCredentials);
  const client = repoClient(c.env, repo);
  const outcome = await client.fetchFromSource();
  // The repository stays, marked failed: it can be retried (mirror-sync) or deleted. A Gitea
  // import goes on on the repository's alarm (migration_status 'running' until it is done).
  if (!outcome.ok) throw invalid(`migration failed: ${outcome.message}`);
  const updated = (await findRepoById(c.env.DB, repo.id)) ?? repo;
  return c.json(await repoJsonFor(c, updated, 'admin'), 201);
});

// A pull mirror's sync now, or a failed migration tried again (with the credentials it was given).
migrationsApi.post(
  '/api/v1/repos/:owner/:repo/mirror-sync',
  describe({
    summary: 'Sync a mirrored repository',
    tags: ['repository'],
    operationId: 'repoMirrorSync',
    responses: { 200: 'sync started', 503: 'the repository is busy: try again after Retry-After' },
  }),
);
migrationsApi.post('/api/v1/repos/:owner/:repo/mirror-sync', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'write');
  const mirror = await findMirror(c.env.DB, repo.id);
  if (!mirror || (!mirror.mirror && mirror.status === 'done'))
    throw badRequest('the repository is not a mirror');
  if (mirror.status === 'failed') await markRetrying(c.env.DB, repo.id);
  const client = repoClient(c.env, repo);
  const pending = await findImport(c.env.DB, repo.id);
  if (pending && pending.phase !== 'done' && mirror.lastSyncAt !== null) {
    // The git data is in: the import goes on from its cursor on the alarm, now (a rate limit's
    // wait cut short is answered again by the source if it still holds).
    await client.scheduleImport();
  } else {
    const outcome = await client.fetchFromSource(requestOrigin(c));
    if (!outcome.ok && outcome.busy) throw busyError(`sync not started: ${outcome.message}`);
    if (!outcome.ok) throw invalid(`sync failed: ${outcome.message}`);
  }
  return c.json({ ...mirrorJson(await findMirror(c.env.DB, repo.id)) });
});

/** The source URL without credentials (those given in it are used as the credentials). */
function sourceUrl(text: string): { url: string; username?: string; password?: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid('clone_addr is not a valid URL');
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  if (!url.pathname || url.pathname === '/') throw invalid('clone_addr names no repository');
  return { url: url.toString(), username, password };
}
