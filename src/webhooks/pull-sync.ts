// Gitea's `pull_request` `synchronized`: a push moved the head branch of open pull requests,
// of this repository's own branches or of a fork's (then in the fork's upstream).
import { userJson } from '../api/format';
import { pullJson } from '../api/pull-json';
import { openPullsFromFork, openPullsWithHead } from '../db/pulls';
import { findRepoById, type RepoRecord } from '../db/repos';
import { findUserById } from '../db/users';
import type { HookRecord, NewDelivery } from '../db/webhooks';
import { ZERO_OID } from '../git/store';
import { loadPull } from '../services/pull-state';
import type { PushAnnouncement } from './push-payload';
import { hooksFor, newDelivery, queueDeliveries, repositoryPayload } from './queue';

type Common = { repository: object; sender: object };

async function synchronized(
  env: Env,
  hooks: HookRecord[],
  repo: RepoRecord,
  origin: string,
  common: Common | null,
  numbers: readonly number[],
): Promise<NewDelivery[]> {
  const out: NewDelivery[] = [];
  for (const number of numbers) {
    // Loading refreshes the pull request: a fork's head is fetched into refs/pull/{n}/head, the
    // stored state updated and the page's live watchers told.
    const pull = await loadPull(env, repo, number);
    if (!pull || !common) continue;
    const payload = {
      action: 'synchronized',
      number,
      pull_request: pullJson(origin, repo, pull),
      ...common,
      commit_id: pull.headSha,
    };
    for (const h of hooks) out.push(newDelivery(h, 'pull_request', 'synchronized', payload));
  }
  return out;
}

export async function syncDeliveries(
  env: Env,
  hooks: HookRecord[],
  repo: RepoRecord,
  origin: string,
  common: Common,
  branch: string,
): Promise<NewDelivery[]> {
  if (hooks.length === 0) return [];
  return synchronized(env, hooks, repo, origin, common, await openPullsWithHead(env.DB, repo.id, branch));
}

/**
 * A push to a fork: the open pull requests in other repositories whose head is a branch it moved
 * follow it now (not at their next read), and those repositories' hooks get `synchronized`.
 * Runs off the push's path, in the fork's webhook queue; a fork's deleted branch leaves what the
 * upstream holds.
 */
export async function followForkPush(env: Env, a: PushAnnouncement): Promise<void> {
  const moved = new Set(
    a.updates
      .filter((u) => u.name.startsWith('refs/heads/') && u.newOid !== ZERO_OID)
      .map((u) => u.name.slice('refs/heads/'.length)),
  );
  if (moved.size === 0) return;
  const pulls = (await openPullsFromFork(env.DB, a.repoId)).filter((p) => moved.has(p.branch));
  const byRepo = new Map<number, number[]>();
  for (const p of pulls) byRepo.set(p.repoId, [...(byRepo.get(p.repoId) ?? []), p.number]);
  for (const [repoId, numbers] of byRepo) {
    const repo = await findRepoById(env.DB, repoId);
    if (!repo) continue;
    const hooks = await hooksFor(env.DB, repoId, 'pull_request');
    const pusher = hooks.length > 0 ? await findUserById(env.DB, a.pusherId) : null;
    const common = pusher && {
      repository: await repositoryPayload(env, a.origin, repo),
      sender: userJson(pusher, { showEmail: false }),
    };
    await queueDeliveries(env, repoId, await synchronized(env, hooks, repo, a.origin, common, numbers));
  }
}
