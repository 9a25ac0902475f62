// Merging a pull request, shared by the merge endpoint and auto-merge: the merge in the
// repository's object under the base branch's rule (judged in the planner's transaction), the
// recorded merge, live and webhook events, and the head branch deleted when asked.
import { commitIdentity, noReplyHost } from '../auth/commit-identity';
import { claimAutoMerge } from '../db/auto-merge';
import { markMerged } from '../db/pulls';
import type { RepoRecord } from '../db/repos';
import { findUserById } from '../db/users';
import type { MergeStyle } from '../git/merge/merge';
import type { MergeResult } from '../git/merge/merge-refs';
import { publishIssueEvent } from '../live/publish';
import { mergeProtection, pullFacts, pushProtection } from '../services/protection';
import { headRefOf } from '../services/pull-head';
import type { PullView } from '../services/pull-state';
import { repoClient } from '../services/repo-client';
import { ApiError, conflict } from './errors';
import { type EventSource, emitMergePush, emitPullEventFrom } from './hook-events';

export interface MergeOrder {
  readonly style: MergeStyle;
  /** As given; empty or missing: the default for the style. */
  readonly title?: string | null;
  readonly message?: string | null;
  readonly expectedHead?: string;
  readonly deleteBranch: boolean;
}

export type MergeOutcome =
  | { kind: 'merged'; commit: string; branchDeleted: boolean; branchKept?: string }
  | Exclude<MergeResult, { kind: 'merged' }>;

export function defaultTitle(style: MergeStyle, pull: PullView): string {
  const n = pull.issue.number;
  if (style === 'squash') return `${pull.issue.title} (#${n})`;
  return `Merge pull request '${pull.issue.title}' (#${n}) from ${pull.headBranch} into ${pull.baseBranch}`;
}

/** Merges `pull` as the user `src.senderId`, who must exist. */
export async function mergePull(
  src: EventSource,
  repo: RepoRecord,
  pull: PullView,
  order: MergeOrder,
): Promise<MergeOutcome> {
  const user = src.senderId === null ? null : await findUserById(src.env.DB, src.senderId);
  if (!user) throw new ApiError(401, 'authentication required');
  const who = {
    ...commitIdentity(user, noReplyHost(src.env, src.origin)),
    time: Math.floor(Date.now() / 1000),
  };
  const title = order.title?.trim() || defaultTitle(order.style, pull);
  const message = order.message?.trim() ? `${title}\n\n${order.message.trim()}` : title;
  const standing = await pullFacts(src.env.DB, repo.id, { issueId: pull.issue.id, ...pull });
  const protection = mergeProtection(standing, user.login);
  const client = repoClient(src.env, repo);
  const result = await client.merge({
    style: order.style,
    base: pull.baseBranch,
    head: headRefOf(pull),
    // Reviews and statuses were read for this head: a branch that moved since is not merged.
    expectedHead: order.expectedHead || (protection ? pull.headSha : undefined),
    message,
    author: who,
    committer: who,
    protection,
  });
  if (result.kind !== 'merged') return result;
  await markMerged(src.env.DB, pull.issue.id, {
    by: user.id,
    style: order.style,
    headSha: result.head,
    baseSha: result.oldBase,
    mergeBase: result.mergeBase,
    commitSha: result.newBase,
  });
  // A merge by hand ends a schedule too (Gitea removes it).
  await claimAutoMerge(src.env.DB, pull.issue.id);
  await publishIssueEvent(src.env, repo.id, pull.issue.number, {
    type: 'pull.merged',
    commit: result.newBase,
  });
  emitMergePush(src, repo, user.id, {
    name: `refs/heads/${pull.baseBranch}`,
    oldOid: result.oldBase,
    newOid: result.newBase,
  });
  // Gitea announces a merge as the pull request's `closed` with `merged: true`.
  emitPullEventFrom(src, repo, pull.issue.number, 'closed');
  const deletion = order.deleteBranch ? await deleteHead(src, repo, pull, user.login) : undefined;
  return {
    kind: 'merged',
    commit: result.newBase,
    branchDeleted: deletion === null,
    branchKept: deletion ?? undefined,
  };
}

/**
 * Deletes the merged head branch through the planner under the push rules (a protected branch is
 * kept). Answers null when deleted, else why it was kept. A fork's branch is the fork's to delete.
 */
async function deleteHead(
  src: EventSource,
  repo: RepoRecord,
  pull: PullView,
  login: string,
): Promise<string | null> {
  if (pull.headRepoId !== null) return 'the head branch is in another repository';
  const protection = await pushProtection(src.env.DB, repo.id, login);
  const r = await repoClient(src.env, repo).deleteBranch(pull.headBranch, protection);
  if (r.kind === 'declined') return r.reason;
  if (r.kind === 'missing') return 'the head branch no longer exists';
  return null;
}

/** Why a merge did not happen, as the 409 the contract asks for. */
export function refusal(r: Exclude<MergeResult, { kind: 'merged' }>, pull: PullView): ApiError {
  switch (r.kind) {
    case 'conflict':
      return conflict(`merge conflict in: ${r.paths.join(', ')}`);
    case 'not_fast_forward':
      return conflict(
        `'${pull.baseBranch}' cannot be fast-forwarded to '${pull.headBranch}': the branches have diverged`,
      );
    case 'up_to_date':
      return conflict(`'${pull.headBranch}' has nothing that is not already on '${pull.baseBranch}'`);
    case 'unrelated':
      return conflict(`'${pull.headBranch}' and '${pull.baseBranch}' have entirely different histories`);
    case 'missing_branch':
      return conflict(`branch '${r.branch}' does not exist (deleted?)`);
    case 'stale':
      return conflict(`${r.message}; try again`);
    case 'declined':
      // Gitea answers 405 when the branch's rules are not met.
      return new ApiError(405, r.reason);
  }
}
