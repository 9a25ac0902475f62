// Pull-request reviews (Gitea's API): approve, request changes or comment, with line comments on
// the diff. Anyone who can read the repository may review; only reviews by writers are official
// (they count for the branch rules). Authors cannot approve or reject their own pull request.
import { Hono } from 'hono';
import { can } from '../auth/access';
import { listRules } from '../db/protection';
import type { RepoRecord } from '../db/repos';
import {
  insertReview,
  listReviews,
  REVIEW_STATES,
  type ReviewComment,
  type ReviewRecord,
  type ReviewState,
} from '../db/reviews';
import { ruleFor } from '../git/protect/rules';
import { isDismissed } from '../services/protection';
import { loadPull, type PullView } from '../services/pull-state';
import { triggerAutoMerges } from './auto-merge';
import { type JsonObject, optionalString, readJsonObject } from './body';
import { type ApiContext, type AppEnv, requestOrigin, requireActor } from './context';
import { invalid, notFound } from './errors';
import { emitReviewEvent, requestSource } from './hook-events';
import { pathNumber, requireReadableRepo } from './issue-access';
import { BODY_MAX, ISSUE_JSON_MAX } from './issue-input';
import { describe } from './openapi/describe';

export const reviewsApi = new Hono<AppEnv>();

const REVIEWS = '/api/v1/repos/:owner/:repo/pulls/:index/reviews';
const COMMENTS_MAX = 100;
const PATH_MAX = 4096;

async function requirePull(c: ApiContext) {
  const access = await requireReadableRepo(c);
  const pull = await loadPull(c.env, access.repo, pathNumber(c.req.param('index'), 'pull request'));
  if (!pull) throw notFound('pull request not found');
  return { ...access, pull };
}

export function reviewJson(
  origin: string,
  repo: RepoRecord,
  pull: PullView,
  r: ReviewRecord,
  dismissed: boolean,
) {
  const web = `${origin}/${repo.owner}/${repo.name}/pull/${pull.issue.number}`;
  return {
    id: r.id,
    user: r.reviewer === null ? null : { login: r.reviewer, username: r.reviewer },
    body: r.body,
    commit_id: r.commitId,
    state: r.state,
    stale: r.commitId !== pull.headSha,
    official: r.official,
    dismissed,
    comments_count: r.comments.length,
    comments: r.comments.map((x) => ({ path: x.path, body: x.body, new_position: x.newPosition })),
    submitted_at: r.createdAt,
    html_url: `${web}#review-${r.id}`,
    pull_request_url: web,
  };
}

function reviewEvent(body: JsonObject): ReviewState {
  const v = body.event;
  if (typeof v !== 'string' || !(REVIEW_STATES as readonly string[]).includes(v))
    throw invalid(`event must be one of ${REVIEW_STATES.join(', ')}`);
  return v as ReviewState;
}

function lineComments(body: JsonObject): ReviewComment[] {
  const v = body.comments;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid('comments must be a list');
  if (v.length > COMMENTS_MAX) throw invalid(`at most ${COMMENTS_MAX} comments in a review`);
  return v.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw invalid(`comments[${i}] must be an object`);
    const o = item as JsonObject;
    const path = optionalString(o, 'path', PATH_MAX);
    const text = optionalString(o, 'body', BODY_MAX);
    const position = o.new_position;
    if (!path) throw invalid(`comments[${i}].path is required`);
    if (!text?.trim()) throw invalid(`comments[${i}].body is required`);
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 1)
      throw invalid(`comments[${i}].new_position must be a line number from 1`);
    return { path, body: text, newPosition: position };
  });
}

async function reviewsJson(c: ApiContext, repo: RepoRecord, pull: PullView) {
  const [reviews, rules] = await Promise.all([
    listReviews(c.env.DB, pull.issue.id),
    listRules(c.env.DB, repo.id),
  ]);
  const rule = ruleFor(rules, pull.baseBranch);
  const origin = requestOrigin(c);
  return reviews.map((r) => reviewJson(origin, repo, pull, r, isDismissed(r, pull.headSha, rule)));
}

reviewsApi.get(
  REVIEWS,
  describe({
    summary: 'List all reviews for a pull request',
    tags: ['repository'],
    operationId: 'repoListPullReviews',
    responses: { 200: 'PullReviewList' },
  }),
);
reviewsApi.get(REVIEWS, async (c) => {
  const { repo, pull } = await requirePull(c);
  return c.json(await reviewsJson(c, repo, pull));
});

reviewsApi.post(
  REVIEWS,
  describe({
    summary: 'Create a review to an pull request',
    tags: ['repository'],
    operationId: 'repoCreatePullReview',
    responses: { 200: 'PullReview' },
  }),
);
reviewsApi.post(REVIEWS, async (c) => {
  const { repo, pull, permission } = await requirePull(c);
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const body = await readJsonObject(c, ISSUE_JSON_MAX);
  const state = reviewEvent(body);
  const text = optionalString(body, 'body', BODY_MAX) ?? '';
  const comments = lineComments(body);
  if (pull.merged || pull.issue.state !== 'open') throw invalid('the pull request is closed');
  if (state !== 'COMMENT' && pull.issue.authorId === actor.userId)
    throw invalid(
      `authors cannot ${state === 'APPROVED' ? 'approve' : 'request changes on'} their own pull request`,
    );
  if (state !== 'APPROVED' && text.trim() === '' && comments.length === 0)
    throw invalid('a review that does not approve needs a body or comments');
  await insertReview(c.env.DB, {
    issueId: pull.issue.id,
    reviewerId: actor.userId,
    state,
    body: text,
    commitId: pull.headSha,
    official: can(permission, 'write'),
    comments,
  });
  const all = await listReviews(c.env.DB, pull.issue.id);
  const review = all.findLast((r) => r.reviewerId === actor.userId);
  if (!review) throw notFound('review not found');
  emitReviewEvent(c, repo, pull.issue.number, review);
  triggerAutoMerges(requestSource(c), repo);
  return c.json(reviewJson(requestOrigin(c), repo, pull, review, false), 200);
});
