// The API's webhook events (Gitea's payloads): issues, issue_comment, pull_request, release,
// queued after the answer (emitHookEvent), and the pushes a merge or a release's new tag make.
import type { CommentRecord } from '../db/comments';
import type { IssueRecord } from '../db/issues';
import type { ReleaseRecord } from '../db/releases';
import type { RepoRecord } from '../db/repos';
import { findUserById } from '../db/users';
import { ZERO_OID } from '../git/store';
import { loadPull } from '../services/pull-state';
import { publicOrigin } from '../webhooks/config';
import { emitHookEvent, hookQueue, repositoryPayload } from '../webhooks/queue';
import type { ApiContext } from './context';
import { userJson } from './format';
import { commentJson, issueJson } from './issue-json';
import { pullJson } from './pull-json';
import { releaseJson } from './release-json';

/** Who and what an event comes from: a request, or work done later for a user (auto-merge). */
export interface EventSource {
  readonly env: Env;
  readonly ctx: { waitUntil(p: Promise<unknown>): void };
  readonly origin: string;
  readonly senderId: number | null;
}

export function requestSource(c: ApiContext): EventSource {
  const actor = c.get('actor');
  return {
    env: c.env,
    ctx: c.executionCtx,
    origin: publicOrigin(c.env, c.req.url),
    senderId: actor?.userId ?? null,
  };
}

async function commonOf(src: EventSource, repo: RepoRecord) {
  const user = src.senderId !== null ? await findUserById(src.env.DB, src.senderId) : null;
  return {
    repository: await repositoryPayload(src.env, src.origin, repo),
    sender: user ? userJson(user, { showEmail: false }) : null,
  };
}

function common(c: ApiContext, repo: RepoRecord, _origin: string) {
  return commonOf(requestSource(c), repo);
}

/** `issues` for an issue, `pull_request` for a pull request (opened, edited, closed, reopened...). */
export function emitIssueEvent(c: ApiContext, repo: RepoRecord, issue: IssueRecord, action: string): void {
  const origin = publicOrigin(c.env, c.req.url);
  if (issue.isPull) {
    emitPullEvent(c, repo, issue.number, action);
    return;
  }
  emitHookEvent(c.env, c.executionCtx, repo.id, 'issues', action, async () => ({
    action,
    number: issue.number,
    issue: issueJson(origin, repo, issue),
    ...(await common(c, repo, origin)),
    commit_id: '',
  }));
}

export function emitPullEvent(c: ApiContext, repo: RepoRecord, number: number, action: string): void {
  emitPullEventFrom(requestSource(c), repo, number, action);
}

export function emitPullEventFrom(src: EventSource, repo: RepoRecord, number: number, action: string): void {
  emitHookEvent(src.env, src.ctx, repo.id, 'pull_request', action, async () => {
    const pull = await loadPull(src.env, repo, number);
    return {
      action,
      number,
      pull_request: pull ? pullJson(src.origin, repo, pull) : null,
      ...(await commonOf(src, repo)),
      commit_id: '',
    };
  });
}

export function emitCommentEvent(
  c: ApiContext,
  repo: RepoRecord,
  issue: IssueRecord,
  comment: CommentRecord,
  action: 'created' | 'edited' | 'deleted',
): void {
  const origin = publicOrigin(c.env, c.req.url);
  emitHookEvent(c.env, c.executionCtx, repo.id, 'issue_comment', action, async () => ({
    action,
    issue: issueJson(origin, repo, issue),
    comment: commentJson(origin, repo, comment, issue.isPull),
    ...(await common(c, repo, origin)),
    is_pull: issue.isPull,
  }));
}

/** A merge moved the base branch: the hooks hear it as a push by the merger, as in Gitea. */
export function emitMergePush(
  src: EventSource,
  repo: RepoRecord,
  pusherId: number,
  update: { name: string; oldOid: string; newOid: string },
): void {
  src.ctx.waitUntil(
    hookQueue(src.env, repo.id)
      .pushed({ repoId: repo.id, pusherId, origin: src.origin, updates: [update] })
      .catch((e: unknown) => console.error('webhooks: could not queue the merge push', e)),
  );
}

/** Publishing a release created its tag: a push and a `create` of the tag, as Gitea sends them. */
export function emitTagCreated(
  c: ApiContext,
  repo: RepoRecord,
  pusherId: number,
  tag: string,
  commit: string,
) {
  emitMergePush(requestSource(c), repo, pusherId, {
    name: `refs/tags/${tag}`,
    oldOid: ZERO_OID,
    newOid: commit,
  });
}

/** `release` (Gitea's ReleasePayload): published, updated or deleted; drafts announce nothing. */
export function emitReleaseEvent(
  c: ApiContext,
  repo: RepoRecord,
  release: ReleaseRecord,
  action: 'published' | 'updated' | 'deleted',
): void {
  const origin = publicOrigin(c.env, c.req.url);
  emitHookEvent(c.env, c.executionCtx, repo.id, 'release', action, async () => ({
    action,
    release: releaseJson(origin, repo, release),
    ...(await common(c, repo, origin)),
  }));
}

/** `status`: a commit status was stored (Gitea's CommitStatusPayload, the status's fields at the top). */
export function emitStatusEvent(c: ApiContext, repo: RepoRecord, status: object & { sha: string }): void {
  const origin = publicOrigin(c.env, c.req.url);
  emitHookEvent(c.env, c.executionCtx, repo.id, 'status', '', async () => ({
    ...status,
    commit: { id: status.sha, url: `${origin}/${repo.owner}/${repo.name}/commit/${status.sha}` },
    ...(await common(c, repo, origin)),
  }));
}

/** `pull_request_review`: a review was submitted (Gitea's PullRequestPayload with its `review`). */
export function emitReviewEvent(
  c: ApiContext,
  repo: RepoRecord,
  number: number,
  review: { state: string; body: string },
): void {
  const origin = publicOrigin(c.env, c.req.url);
  const type =
    review.state === 'APPROVED'
      ? 'pull_request_review_approved'
      : review.state === 'REQUEST_CHANGES'
        ? 'pull_request_review_rejected'
        : 'pull_request_review_comment';
  emitHookEvent(c.env, c.executionCtx, repo.id, 'pull_request_review', 'reviewed', async () => {
    const pull = await loadPull(c.env, repo, number);
    return {
      action: 'reviewed',
      number,
      pull_request: pull ? pullJson(origin, repo, pull) : null,
      ...(await common(c, repo, origin)),
      commit_id: pull?.headSha ?? '',
      review: { type, content: review.body },
    };
  });
}
