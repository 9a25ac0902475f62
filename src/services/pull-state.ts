/**
 * A pull request as it stands now: the stored row, refreshed from the branches when one of them
 * moved (new commits on the head, a base that advanced, a deleted branch). Used by the API and
 * the pages alike, so both show the same state.
 */

import { getPullByNumber, type PullRecord, updatePullState } from '../db/pulls';
import type { RepoRecord } from '../db/repos';
import { publishIssueEvent } from '../live/publish';
import { repoClient } from '../services/repo-client';
import { headLabelOf, headRefOf, syncForkHead } from './pull-head';

export interface PullView extends PullRecord {
  /** The head branch no longer exists. */
  headDeleted: boolean;
  baseDeleted: boolean;
  /** Why mergeability is unknown (the check went past its bounds), else null. */
  mergeableReason: string | null;
  /** `branch`, or `forkowner:branch` for a fork's branch (`deleted:branch` once the fork is gone). */
  headLabel?: string;
  /** The fork the head lives in, while it exists. */
  headRepo?: { owner: string; name: string } | null;
}

export async function loadPull(env: Env, repo: RepoRecord, number: number): Promise<PullView | null> {
  const pull = await getPullByNumber(env.DB, repo.id, number);
  if (!pull) return null;
  return refreshPull(env, repo, pull);
}

export async function refreshPull(env: Env, repo: RepoRecord, pull: PullRecord): Promise<PullView> {
  const fork = await syncForkHead(env, repo, pull);
  const now = await repoClient(env, repo).mergeability(pull.baseBranch, headRefOf(pull));
  const view = {
    ...pull,
    headLabel: headLabelOf(pull, fork?.owner ?? null),
    headRepo: fork && { owner: fork.owner, name: fork.name },
    headDeleted: now.headSha === null,
    baseDeleted: now.baseSha === null,
    mergeableReason: now.status === 'unknown' ? now.reason : null,
  };
  // A merged or closed pull request keeps what it had; a missing branch changes nothing stored.
  if (pull.merged || pull.issue.state !== 'open' || now.headSha === null || now.baseSha === null) return view;
  if (now.headSha === pull.headSha && now.baseSha === pull.baseSha) return view;
  const state = {
    headSha: now.headSha,
    baseSha: now.baseSha,
    mergeBase: now.mergeBase,
    mergeable: now.status,
    conflicts: now.conflicts,
  };
  await updatePullState(env.DB, pull.issue.id, state);
  if (now.headSha !== pull.headSha) {
    await publishIssueEvent(env, repo.id, pull.issue.number, { type: 'pull.pushed', head: now.headSha });
  }
  return { ...view, ...state };
}
