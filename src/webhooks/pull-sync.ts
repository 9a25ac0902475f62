// Gitea's `pull_request` `synchronized`: a push moved the head branch of open pull requests.
import { pullJson } from '../api/pull-json';
import { openPullsWithHead } from '../db/pulls';
import type { RepoRecord } from '../db/repos';
import type { HookRecord, NewDelivery } from '../db/webhooks';
import { loadPull } from '../services/pull-state';
import { newDelivery } from './queue';

export async function syncDeliveries(
  env: Env,
  hooks: HookRecord[],
  repo: RepoRecord,
  origin: string,
  common: { repository: object; sender: object },
  branch: string,
  after: string,
): Promise<NewDelivery[]> {
  if (hooks.length === 0) return [];
  const out: NewDelivery[] = [];
  for (const number of await openPullsWithHead(env.DB, repo.id, branch)) {
    const pull = await loadPull(env, repo, number);
    if (!pull) continue;
    const payload = {
      action: 'synchronized',
      number,
      pull_request: pullJson(origin, repo, pull),
      ...common,
      commit_id: after,
    };
    for (const h of hooks) out.push(newDelivery(h, 'pull_request', 'synchronized', payload));
  }
  return out;
}
