// Auto-merge (Gitea's `merge_when_checks_succeed`): a pull request whose base branch's rule is
// not yet satisfied is scheduled, and merged as its scheduler by the same path as the merge
// endpoint once the last condition holds. Run after the events that can satisfy it (a status
// created, a review submitted, a push: see statuses.ts, reviews.ts, webhooks/queue-object.ts),
// off the request's path; a merge that fails for good ends the schedule with a comment.
import { type AutoMergeRecord, claimAutoMerge, listAutoMerges, scheduleAutoMerge } from '../db/auto-merge';
import { createComment } from '../db/comments';
import type { RepoRecord } from '../db/repos';
import type { MergeStyle } from '../git/merge/merge';
import { refuseMerge } from '../git/protect/rules';
import { publishIssueEvent } from '../live/publish';
import { pullFacts } from '../services/protection';
import { loadPull, type PullView } from '../services/pull-state';
import type { EventSource } from './hook-events';
import { type MergeOrder, type MergeOutcome, mergePull, refusal } from './pull-merge';

/** Why the base branch's rule refuses merging `pull` now (undefined: it may merge). */
export async function unmetChecks(env: Env, repo: RepoRecord, pull: PullView): Promise<string | undefined> {
  const standing = await pullFacts(env.DB, repo.id, { issueId: pull.issue.id, ...pull });
  return standing.rule ? refuseMerge(standing.rule, standing.facts) : undefined;
}

export async function scheduleMerge(
  env: Env,
  repo: RepoRecord,
  pull: PullView,
  doerId: number,
  order: MergeOrder,
): Promise<'scheduled' | 'exists'> {
  return scheduleAutoMerge(env.DB, {
    issueId: pull.issue.id,
    repoId: repo.id,
    doerId,
    style: order.style,
    title: order.title ?? null,
    message: order.message ?? null,
    deleteBranch: order.deleteBranch,
  });
}

/** Outcomes after which the schedule is kept: the facts or the head moved while merging. */
const TRANSIENT = new Set(['stale', 'declined']);

/**
 * Merges every scheduled pull request of the repository whose checks now pass. Each is claimed
 * (its row deleted) before merging, so two triggers at once merge it once; a transient refusal
 * puts it back, any other refusal leaves it cancelled with a comment.
 */
export async function runAutoMerges(base: Omit<EventSource, 'senderId'>, repo: RepoRecord): Promise<void> {
  for (const scheduled of await listAutoMerges(base.env.DB, repo.id)) {
    const pull = await loadPull(base.env, repo, await pullNumber(base.env.DB, scheduled.issueId));
    if (!pull || pull.merged || pull.issue.state !== 'open') {
      await claimAutoMerge(base.env.DB, scheduled.issueId);
      continue;
    }
    if ((await unmetChecks(base.env, repo, pull)) !== undefined) continue;
    if (!(await claimAutoMerge(base.env.DB, scheduled.issueId))) continue;
    const src = { ...base, senderId: scheduled.doerId };
    const order = orderOf(scheduled);
    let outcome: MergeOutcome;
    try {
      outcome = await mergePull(src, repo, pull, order);
    } catch (e) {
      await scheduleMerge(base.env, repo, pull, scheduled.doerId, order);
      throw e;
    }
    if (outcome.kind === 'merged') continue;
    if (TRANSIENT.has(outcome.kind)) {
      await scheduleMerge(base.env, repo, pull, scheduled.doerId, order);
      continue;
    }
    await cancelWithComment(base.env, repo, pull, scheduled.doerId, refusal(outcome, pull).message);
  }
}

async function pullNumber(db: D1Database, issueId: number): Promise<number> {
  const row = await db
    .prepare(`select "number" from "issue" where "id" = ?`)
    .bind(issueId)
    .first<{ number: number }>();
  return row ? Number(row.number) : 0;
}

function orderOf(a: AutoMergeRecord): MergeOrder {
  return {
    style: a.style as MergeStyle,
    title: a.title,
    message: a.message,
    deleteBranch: a.deleteBranch,
  };
}

async function cancelWithComment(
  env: Env,
  repo: RepoRecord,
  pull: PullView,
  doerId: number,
  reason: string,
): Promise<void> {
  const comment = await createComment(env.DB, {
    issueId: pull.issue.id,
    authorId: doerId,
    body: `Auto-merge was cancelled: ${reason}.`,
  });
  await publishIssueEvent(env, repo.id, pull.issue.number, {
    type: 'pull.auto_merge_cancelled',
    comment: comment.id,
  });
}

/** Runs the repository's auto-merges after the answer, logging (never raising) a failure. */
export function triggerAutoMerges(base: Omit<EventSource, 'senderId'>, repo: RepoRecord): void {
  base.ctx.waitUntil(
    runAutoMerges(base, repo).catch((e: unknown) => console.error('auto-merge: could not run', e)),
  );
}
