// Commit statuses (Gitea's API): CI posts a state per context on a commit (writers, tokens with
// write:repository); anyone who can read the repository lists them and reads the combined state
// (the latest status of each context, the worst of them wins).
import { Hono } from 'hono';
import type { RepoRecord } from '../db/repos';
import { insertStatus, latestStatuses, listStatuses, type StatusRecord } from '../db/statuses';
import { combineStates, STATUS_STATES, type StatusState } from '../git/protect/rules';
import { expectKind } from '../services/browse';
import { repoClient } from '../services/repo-client';
import { triggerAutoMerges } from './auto-merge';
import { type JsonObject, optionalString, readJsonObject } from './body';
import { type ApiContext, type AppEnv, requestOrigin, requireActor, requireRepo } from './context';
import { invalid } from './errors';
import { emitStatusEvent, requestSource } from './hook-events';
import { describe } from './openapi/describe';
import { pageOf } from './users';

export const statusesApi = new Hono<AppEnv>();

const REPO = '/api/v1/repos/:owner/:repo';
const CONTEXT_MAX = 255;
const URL_MAX = 2048;

export function statusJson(origin: string, repo: RepoRecord, s: StatusRecord) {
  return {
    id: s.id,
    status: s.state,
    state: s.state,
    context: s.context,
    description: s.description,
    target_url: s.targetUrl,
    url: `${origin}/api/v1/repos/${repo.owner}/${repo.name}/statuses/${s.sha}`,
    creator: s.creator === null ? null : { login: s.creator, username: s.creator },
    created_at: s.createdAt,
    updated_at: s.createdAt,
  };
}

/** The commit a ref (branch, tag or commit id) names now; 404 when there is none. */
async function resolveCommit(c: ApiContext, repo: RepoRecord, ref: string): Promise<string> {
  const log = expectKind(
    await repoClient(c.env, repo).browse({ kind: 'log', at: { ref, path: '' }, page: 1, limit: 1 }),
    'log',
  );
  return log.ref.commit;
}

function statusInput(body: JsonObject) {
  const state = body.state;
  if (typeof state !== 'string' || !(STATUS_STATES as readonly string[]).includes(state))
    throw invalid(`state must be one of ${STATUS_STATES.join(', ')}`);
  const context = optionalString(body, 'context', CONTEXT_MAX)?.trim() || 'default';
  const targetUrl = optionalString(body, 'target_url', URL_MAX) ?? '';
  if (targetUrl !== '' && !/^https?:\/\//i.test(targetUrl))
    throw invalid('target_url must be an http(s) URL');
  const description = optionalString(body, 'description', 1024) ?? '';
  return { state: state as StatusState, context, targetUrl, description };
}

statusesApi.post(
  `${REPO}/statuses/:sha`,
  describe({
    summary: 'Create a commit status',
    tags: ['repository'],
    operationId: 'repoCreateStatus',
    responses: { 201: 'CommitStatus' },
  }),
);
statusesApi.post(`${REPO}/statuses/:sha`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'write');
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const given = c.req.param('sha');
  if (!/^[0-9a-f]{4,40}$/i.test(given)) throw invalid('sha must be a commit id');
  const input = statusInput(await readJsonObject(c));
  const sha = await resolveCommit(c, repo, given.toLowerCase());
  const status = await insertStatus(c.env.DB, repo.id, { sha, ...input, creatorId: actor.userId });
  const json = statusJson(requestOrigin(c), repo, status);
  emitStatusEvent(c, repo, { ...json, sha });
  triggerAutoMerges(requestSource(c), repo);
  return c.json(json, 201);
});

async function listFor(c: ApiContext) {
  const { repo } = await requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'read');
  const sha = await resolveCommit(c, repo, c.req.param('ref') ?? '');
  const statuses = await listStatuses(c.env.DB, repo.id, sha, pageOf(c));
  return c.json(statuses.map((s) => statusJson(requestOrigin(c), repo, s)));
}

statusesApi.get(
  `${REPO}/statuses/:ref{.+}`,
  describe({
    summary: "Get a commit's statuses",
    tags: ['repository'],
    operationId: 'repoListStatuses',
    responses: { 200: 'CommitStatusList' },
  }),
);
statusesApi.get(`${REPO}/statuses/:ref{.+}`, listFor);
statusesApi.get(
  `${REPO}/commits/:ref{.+}/statuses`,
  describe({
    summary: "Get a commit's statuses, by branch/tag/commit reference",
    tags: ['repository'],
    operationId: 'repoListStatusesByRef',
    responses: { 200: 'CommitStatusList' },
  }),
);
statusesApi.get(`${REPO}/commits/:ref{.+}/statuses`, listFor);

statusesApi.get(
  `${REPO}/commits/:ref{.+}/status`,
  describe({
    summary: "Get a commit's combined status, by branch/tag/commit reference",
    tags: ['repository'],
    operationId: 'repoGetCombinedStatusByRef',
    responses: { 200: 'CombinedStatus' },
  }),
);
statusesApi.get(`${REPO}/commits/:ref{.+}/status`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const sha = await resolveCommit(c, repo, c.req.param('ref'));
  const latest = await latestStatuses(c.env.DB, repo.id, [sha]);
  const origin = requestOrigin(c);
  return c.json({
    // A commit without statuses has no state (Gitea answers an empty one).
    state: combineStates(latest.map((s) => s.state)) ?? '',
    sha,
    total_count: latest.length,
    statuses: latest.map((s) => statusJson(origin, repo, s)),
    commit_url: `${origin}/api/v1/repos/${repo.owner}/${repo.name}/commits/${sha}`,
    url: `${origin}/api/v1/repos/${repo.owner}/${repo.name}/commits/${sha}/status`,
  });
});
