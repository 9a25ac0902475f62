// "Sync fork": Gitea 1.23's POST .../merge-upstream {branch}. The fork's branch is fast-forwarded
// to its parent's branch of the same name, or given a merge commit when the two diverged and merge
// cleanly (409 otherwise); the ref moves through the planner, so the fork's branch rules apply.
import { Hono } from 'hono';
import { commitIdentity, noReplyHost } from '../auth/commit-identity';
import { repoPermissionById } from '../auth/permission';
import { findRepoSetting } from '../db/repo-settings';
import { findUserById } from '../db/users';
import { pushProtection } from '../services/protection';
import { repoClient } from '../services/repo-client';
import type { UpstreamSyncResult } from '../storage/upstream-sync';
import { readJsonObject, requiredString } from './body';
import { type AppEnv, requireActor, requireRepo } from './context';
import { ApiError, archivedError, conflict, invalid, unauthorized } from './errors';
import { emitMergePush, requestSource } from './hook-events';
import { describe } from './openapi/describe';
import { MergeUpstreamRequestSchema, MergeUpstreamResponseSchema } from './schemas/mirror';

export const mergeUpstreamApi = new Hono<AppEnv>();

/** The answer for each refusal, in words that say what to do. */
function refusal(
  r: Exclude<UpstreamSyncResult, { kind: 'synced' | 'up_to_date' }>,
  branch: string,
): ApiError {
  switch (r.kind) {
    case 'conflict':
      return conflict(
        `'${branch}' cannot be synced: merging the upstream's changes conflicts in ${r.paths.join(', ')}; merge them locally`,
      );
    case 'unrelated':
      return conflict(`'${branch}' and the upstream's '${branch}' have entirely different histories`);
    case 'missing_branch':
      return invalid(`branch '${branch}' does not exist in the fork`);
    case 'declined':
      return new ApiError(403, r.reason);
    case 'not_fast_forward':
    case 'stale':
      return conflict(`'${branch}' moved while syncing; try again`);
    case 'fetch_failed':
      return new ApiError(503, `the upstream's commits could not be fetched: ${r.reason}`);
  }
}

mergeUpstreamApi.post(
  '/api/v1/repos/:owner/:repo/merge-upstream',
  describe({
    summary: "Merge a repository's upstream",
    tags: ['repository'],
    operationId: 'repoMergeUpstream',
    body: MergeUpstreamRequestSchema,
    responses: { 200: MergeUpstreamResponseSchema },
  }),
);
mergeUpstreamApi.post('/api/v1/repos/:owner/:repo/merge-upstream', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'write');
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const branch = requiredString(await readJsonObject(c), 'branch', 255);
  if (!repo.fork) throw invalid(`${repo.owner}/${repo.name} is not a fork`);
  // The parent must still exist and be readable by the caller (a private parent may have lost them).
  const parent = repo.parent && (await repoPermissionById(c.env, actor, repo.parent.id));
  if (!parent) throw invalid(`the repository ${repo.owner}/${repo.name} was forked from no longer exists`);
  if ((await findRepoSetting(c.env.DB, repo.id)).archived) throw archivedError();
  const tip = await repoClient(c.env, parent.repo).refTip(`refs/heads/${branch}`);
  if (tip === null)
    throw invalid(`branch '${branch}' does not exist in ${parent.repo.owner}/${parent.repo.name}`);
  const user = await findUserById(c.env.DB, actor.userId);
  if (!user) throw unauthorized();
  const who = { ...commitIdentity(user, noReplyHost(c.env, c.req.url)), time: Math.floor(Date.now() / 1000) };
  const result = await repoClient(c.env, repo).syncUpstream(parent.repo.id, tip, {
    branch,
    message: `Merge branch '${branch}' of ${parent.repo.owner}/${parent.repo.name} into ${branch}`,
    author: who,
    committer: who,
    protection: await pushProtection(c.env.DB, repo.id, actor.username),
  });
  if (result.kind === 'up_to_date') return c.json({ merge_type: 'up-to-date' });
  if (result.kind !== 'synced') throw refusal(result, branch);
  // The branch moved as a push would move it: push webhooks, and pull requests from it follow.
  emitMergePush(requestSource(c), repo, actor.userId, {
    name: `refs/heads/${branch}`,
    oldOid: result.oldTip,
    newOid: result.newTip,
  });
  return c.json({ merge_type: result.type });
});
