// Push mirrors (Gitea's API): the server pushes the repository to another git server.
import { Hono } from 'hono';
import { z } from 'zod';
import {
  deletePushMirror,
  findPushMirror,
  insertPushMirror,
  listPushMirrors,
  type PushMirrorRecord,
} from '../db/push-mirrors';
import { formatMirrorInterval } from '../services/mirror-interval';
import { sourceAuthorization } from '../services/outbound/git-transport';
import { repoClient } from '../services/repo-client';
import { optionalBoolean, optionalString, readJsonObject, requiredString } from './body';
import { type ApiContext, type AppEnv, requireRepo } from './context';
import { notFound } from './errors';
import { ZERO_TIME } from './format';
import { intervalField, remoteUrl, SECRET_MAX, sealedCredentials, URL_MAX } from './mirror-input';
import { describe } from './openapi/describe';
import { CreatePushMirrorOptionSchema, type PushMirror, PushMirrorSchema } from './schemas/mirror';

export const pushMirrorsApi = new Hono<AppEnv>();

const MIRRORS = '/api/v1/repos/:owner/:repo/push_mirrors';

/** Gitea's PushMirror; the credentials are never part of it. */
export function pushMirrorJson(repoName: string, m: PushMirrorRecord): PushMirror {
  return {
    repo_name: repoName,
    remote_name: m.remoteName,
    remote_address: m.remoteAddress,
    created: m.createdAt,
    last_update: m.lastUpdate ?? ZERO_TIME,
    last_error: m.lastError ?? '',
    interval: formatMirrorInterval(m.intervalSeconds),
    sync_on_commit: m.syncOnCommit,
  };
}

// As in Gitea, push mirrors are the repository admins' (their credentials reach another server).
function adminRepo(c: ApiContext) {
  return requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'admin');
}

/** Gitea's remote names: `remote_mirror_` and ten random characters. */
function newRemoteName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `remote_mirror_${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

pushMirrorsApi.get(
  MIRRORS,
  describe({
    summary: 'Get all push mirrors of the repository',
    tags: ['repository'],
    operationId: 'repoListPushMirrors',
    responses: { 200: { description: 'PushMirrorList', schema: z.array(PushMirrorSchema) } },
  }),
);
pushMirrorsApi.get(MIRRORS, async (c) => {
  const { repo } = await adminRepo(c);
  return c.json((await listPushMirrors(c.env.DB, repo.id)).map((m) => pushMirrorJson(repo.name, m)));
});

pushMirrorsApi.post(
  MIRRORS,
  describe({
    summary: 'add a push mirror to the repository',
    tags: ['repository'],
    operationId: 'repoAddPushMirror',
    body: CreatePushMirrorOptionSchema,
    responses: { 200: PushMirrorSchema },
  }),
);
pushMirrorsApi.post(MIRRORS, async (c) => {
  const { repo } = await adminRepo(c);
  const body = await readJsonObject(c);
  const remote = remoteUrl(c.env, requiredString(body, 'remote_address', URL_MAX), 'remote_address');
  const authorization = sourceAuthorization({
    username: optionalString(body, 'remote_username', SECRET_MAX) ?? remote.username,
    password: optionalString(body, 'remote_password', SECRET_MAX) ?? remote.password,
  });
  const mirror = await insertPushMirror(c.env.DB, {
    repoId: repo.id,
    remoteName: newRemoteName(),
    remoteAddress: remote.url,
    credentials: await sealedCredentials(c.env, authorization),
    intervalSeconds: intervalField(body, 'interval'),
    syncOnCommit: optionalBoolean(body, 'sync_on_commit') ?? false,
  });
  // Also refreshes the object's count of mirrors synced on commit, which pushes consult.
  await repoClient(c.env, repo).schedulePushMirrors();
  return c.json(pushMirrorJson(repo.name, mirror), 200);
});

pushMirrorsApi.post(
  '/api/v1/repos/:owner/:repo/push_mirrors-sync',
  describe({
    summary: 'Sync all push mirrored repository',
    tags: ['repository'],
    operationId: 'repoPushMirrorSync',
    description:
      'Pushes to every push mirror before answering; each outcome is its last_update and last_error.',
    responses: { 200: { description: 'PushMirrorList', schema: z.array(PushMirrorSchema) } },
  }),
);
// Pushes to every push mirror now; the outcomes are each mirror's last_update and last_error.
pushMirrorsApi.post('/api/v1/repos/:owner/:repo/push_mirrors-sync', async (c) => {
  const { repo } = await adminRepo(c);
  await repoClient(c.env, repo).syncPushMirrors();
  return c.json((await listPushMirrors(c.env.DB, repo.id)).map((m) => pushMirrorJson(repo.name, m)));
});

async function mirrorOf(c: ApiContext) {
  const { repo } = await adminRepo(c);
  const mirror = await findPushMirror(c.env.DB, repo.id, c.req.param('name') ?? '');
  if (!mirror) throw notFound('push mirror not found');
  return { repo, mirror };
}

pushMirrorsApi.get(
  `${MIRRORS}/:name`,
  describe({
    summary: 'Get push mirror of the repository by remoteName',
    tags: ['repository'],
    operationId: 'repoGetPushMirrorByRemoteName',
    params: { name: 'remote name of push mirror' },
    responses: { 200: PushMirrorSchema },
  }),
);
pushMirrorsApi.get(`${MIRRORS}/:name`, async (c) => {
  const { repo, mirror } = await mirrorOf(c);
  return c.json(pushMirrorJson(repo.name, mirror));
});

pushMirrorsApi.delete(
  `${MIRRORS}/:name`,
  describe({
    summary: 'deletes a push mirror from a repository by remoteName',
    tags: ['repository'],
    operationId: 'repoDeletePushMirror',
    params: { name: 'remote name of the pushMirror' },
    responses: { 204: 'deleted' },
  }),
);
pushMirrorsApi.delete(`${MIRRORS}/:name`, async (c) => {
  const { repo, mirror } = await mirrorOf(c);
  await deletePushMirror(c.env.DB, repo.id, mirror.remoteName);
  await repoClient(c.env, repo).schedulePushMirrors();
  return c.body(null, 204);
});
