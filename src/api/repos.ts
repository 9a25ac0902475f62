// One repository: read, settings, deletion, topics, search.
import { Hono } from 'hono';
import { z } from 'zod';
import { scopeCeiling } from '../auth/access';
import { recordSweeps, repoBlobPrefixes } from '../db/blob-sweep';
import { findRepoSetting, updateRepoSettings } from '../db/repo-settings';
import { deleteRepo, findRepoById, type RepoChanges, searchRepos, updateRepo } from '../db/repos';
import { repoClient } from '../services/repo-client';
import { blobSweeper } from '../storage/blob-sweeper';
import { optionalBoolean, optionalString, optionalStringArray, readJsonObject } from './body';
import { type AppEnv, currentActor, requireRepo } from './context';
import { conflict, invalid, notFound } from './errors';
import { mirrorIntervalChange } from './mirror-edit';
import { describe } from './openapi/describe';
import { repoJsonFor } from './repo-json';
import { settingsChanges } from './repo-settings-input';
import { pageQuery } from './schemas/common';
import {
  EditRepoOptionSchema,
  GitStatsSchema,
  RepositorySchema,
  SearchResultsSchema,
  TopicNamesSchema,
} from './schemas/repository';
import { pageOf, repoListJson } from './users';
import {
  BRANCH_NAME_MAX,
  DESCRIPTION_MAX,
  isValidBranchName,
  isValidTopic,
  REPO_NAME_MAX,
  repoNameProblem,
  TOPIC_MAX,
  TOPICS_MAX,
} from './validate';

export const reposApi = new Hono<AppEnv>();

reposApi.get(
  '/api/v1/repos/search',
  describe({
    summary: 'Search for repositories',
    tags: ['repository'],
    operationId: 'repoSearch',
    query: z.object({ q: z.string().optional().describe('keyword'), ...pageQuery }),
    responses: { 200: SearchResultsSchema },
  }),
);
reposApi.get('/api/v1/repos/search', async (c) => {
  const q = (c.req.query('q') ?? '').slice(0, 100);
  const { limit, offset } = pageOf(c);
  const actor = currentActor(c);
  const viewer = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
  const repos = await searchRepos(c.env.DB, q, viewer, limit, offset);
  return c.json({ ok: true, data: await repoListJson(c, repos) });
});

reposApi.get(
  '/api/v1/repos/:owner/:repo',
  describe({
    summary: 'Get a repository',
    tags: ['repository'],
    operationId: 'repoGet',
    responses: { 200: RepositorySchema },
  }),
);
reposApi.get('/api/v1/repos/:owner/:repo', async (c) => {
  const { repo, permission } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  return c.json(await repoJsonFor(c, repo, permission));
});

// Storage statistics of the git data (packs, objects), for the repository's admins: not in
// Gitea's API; operators use it to watch compaction.
reposApi.get(
  '/api/v1/repos/:owner/:repo/git/stats',
  describe({
    summary: 'Storage statistics of the git data, for admins (not Gitea’s)',
    tags: ['repository'],
    responses: { 200: GitStatsSchema },
  }),
);
reposApi.get('/api/v1/repos/:owner/:repo/git/stats', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  const stats = await repoClient(c.env, repo).stats();
  return c.json({
    live_packs: stats.livePacks,
    retired_packs: stats.retiredPacks,
    objects: stats.objects,
    pack_bytes: stats.bytes,
    cached_pack: stats.cachedPack,
    merge_checks: stats.mergeChecks,
    admission: {
      reserved_mib: stats.admission.reservedMib,
      running: stats.admission.running,
      waiting: stats.admission.waiting,
      waited: stats.admission.waited,
    },
    pack_copies: stats.packCopies,
    alarms: Object.fromEntries(
      Object.entries(stats.alarms).map(([kind, at]) => [kind, new Date(at).toISOString()]),
    ),
    import_steps: stats.importSteps,
    spill: stats.spill,
  });
});

// The alarm's maintenance (compaction, the cached pack's repair) run now, for the repository's
// admins: operators need not wait for the quiet time after a push, tests need not race it. 409
// while a push is still being received (the alarm runs it after).
reposApi.post(
  '/api/v1/repos/:owner/:repo/git/maintenance',
  describe({
    summary: 'Run the repository’s maintenance (compaction) now, for admins (not Gitea’s)',
    tags: ['repository'],
    responses: {
      200: z.strictObject({ compacted_packs: z.number().int() }),
      409: 'a push is being received; maintenance runs after it',
    },
  }),
);
reposApi.post('/api/v1/repos/:owner/:repo/git/maintenance', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  const result = await repoClient(c.env, repo).maintain();
  if (result.kind === 'deferred') {
    return c.json({ message: 'A push is being received; maintenance will run after it.' }, 409);
  }
  return c.json({ compacted_packs: result.kind === 'compacted' ? result.packs : 0 });
});

reposApi.patch(
  '/api/v1/repos/:owner/:repo',
  describe({
    summary: "Edit a repository's properties. Only fields that are set will be changed.",
    tags: ['repository'],
    operationId: 'repoEdit',
    body: EditRepoOptionSchema,
    responses: { 200: RepositorySchema },
  }),
);
reposApi.patch('/api/v1/repos/:owner/:repo', async (c) => {
  const { repo, permission } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  const body = await readJsonObject(c);
  const changes: RepoChanges = {};
  const name = optionalString(body, 'name', REPO_NAME_MAX + 1);
  if (name !== undefined && name !== repo.name) {
    const problem = repoNameProblem(name);
    if (problem) throw invalid(problem);
    changes.name = name;
  }
  changes.description = optionalString(body, 'description', DESCRIPTION_MAX);
  changes.private = optionalBoolean(body, 'private');
  const branch = optionalString(body, 'default_branch', BRANCH_NAME_MAX);
  if (branch !== undefined && !isValidBranchName(branch)) {
    throw invalid('default_branch is not a valid branch name');
  }
  const settings = settingsChanges(body, await findRepoSetting(c.env.DB, repo.id));
  const applyMirrorInterval = await mirrorIntervalChange(c.env, repo, body);
  if ((await updateRepo(c.env.DB, repo.id, changes)) === 'conflict') {
    throw conflict(`repository ${repo.owner}/${changes.name} already exists`);
  }
  const updated = await findRepoById(c.env.DB, repo.id);
  if (!updated) throw notFound('repository not found');
  // The repository's object owns HEAD.
  const client = repoClient(c.env, repo);
  if (branch !== undefined) await client.setDefaultBranch(branch);
  await updateRepoSettings(c.env.DB, repo.id, settings);
  await applyMirrorInterval();
  return c.json(await repoJsonFor(c, updated, permission));
});

reposApi.delete(
  '/api/v1/repos/:owner/:repo',
  describe({
    summary: 'Delete a repository',
    tags: ['repository'],
    operationId: 'repoDelete',
    responses: { 204: 'deleted' },
  }),
);
reposApi.delete('/api/v1/repos/:owner/:repo', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  // Its blobs in R2 (Git LFS objects, release assets, attachments) are recorded with the
  // deletion and deleted in the background by the sweeper, which resumes if cut short.
  await deleteRepo(c.env.DB, repo.id, recordSweeps(c.env.DB, repoBlobPrefixes(repo.id)));
  await repoClient(c.env, repo).destroy();
  c.executionCtx.waitUntil(blobSweeper(c.env).kick());
  return c.body(null, 204);
});

// Topics: replacing them needs write permission (Gitea asks admin; here it is the write-level
// repository setting the permission tests exercise).
reposApi.get(
  '/api/v1/repos/:owner/:repo/topics',
  describe({
    summary: 'Get list of topics that a repository has',
    tags: ['repository'],
    operationId: 'repoListTopics',
    responses: { 200: TopicNamesSchema },
  }),
);
reposApi.get('/api/v1/repos/:owner/:repo/topics', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  return c.json({ topics: repo.topics });
});

reposApi.put(
  '/api/v1/repos/:owner/:repo/topics',
  describe({
    summary: 'Replace list of topics for a repository',
    tags: ['repository'],
    operationId: 'repoUpdateTopics',
    body: TopicNamesSchema,
    responses: { 204: 'replaced' },
  }),
);
reposApi.put('/api/v1/repos/:owner/:repo/topics', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'write');
  const body = await readJsonObject(c);
  const topics = optionalStringArray(body, 'topics', TOPICS_MAX, TOPIC_MAX);
  if (topics === undefined) throw invalid('topics is required');
  const normalized = [...new Set(topics.map((t) => t.trim().toLowerCase()))];
  const bad = normalized.filter((t) => !isValidTopic(t));
  if (bad.length > 0) throw invalid(`invalid topic: ${bad.join(', ')}`);
  await updateRepo(c.env.DB, repo.id, { topics: normalized });
  return c.body(null, 204);
});
