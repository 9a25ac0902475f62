// Comments on issues (and pull requests, which are issues too).
import { Hono } from 'hono';
import { z } from 'zod';
import { createComment, deleteComment, getRepoComment, listComments, updateComment } from '../db/comments';
import { getIssueById } from '../db/issues';
import { readJsonObject } from './body';
import { type AppEnv, requestOrigin } from './context';
import { notFound } from './errors';
import { emitCommentEvent } from './hook-events';
import {
  pathNumber,
  requireAuthorOrWrite,
  requireIssue,
  requireIssueWriter,
  requireReadableRepo,
} from './issue-access';
import { liveComment, publishLater } from './issue-events';
import { checkBody, ISSUE_JSON_MAX } from './issue-input';
import { commentJson } from './issue-json';
import { describe } from './openapi/describe';
import { CommentSchema } from './schemas/issue';
import { pageOf } from './users';

export const commentsApi = new Hono<AppEnv>();

const REPO = '/api/v1/repos/:owner/:repo';

commentsApi.get(
  `${REPO}/issues/:index/comments`,
  describe({
    summary: 'List all comments on an issue',
    tags: ['issue'],
    operationId: 'issueGetComments',
    responses: { 200: z.array(CommentSchema) },
  }),
);
commentsApi.get(`${REPO}/issues/:index/comments`, async (c) => {
  const { repo, issue } = await requireIssue(c);
  const comments = await listComments(c.env.DB, issue.id, pageOf(c));
  const origin = requestOrigin(c);
  return c.json(comments.map((m) => commentJson(origin, repo, m, issue.isPull)));
});

commentsApi.post(
  `${REPO}/issues/:index/comments`,
  describe({
    summary: 'Add a comment to an issue',
    tags: ['issue'],
    operationId: 'issueCreateComment',
    body: z.strictObject({ body: z.string() }),
    responses: { 201: CommentSchema },
  }),
);
commentsApi.post(`${REPO}/issues/:index/comments`, async (c) => {
  const { repo, issue } = await requireIssue(c);
  const actor = requireIssueWriter(c);
  const body = checkBody((await readJsonObject(c, ISSUE_JSON_MAX)).body, true) as string;
  const comment = await createComment(c.env.DB, { issueId: issue.id, authorId: actor.userId, body });
  publishLater(c, repo, issue.number, async () => ({
    type: 'comment.created',
    comment: await liveComment(c.env.DB, repo, comment),
  }));
  emitCommentEvent(c, repo, issue, comment, 'created');
  return c.json(commentJson(requestOrigin(c), repo, comment, issue.isPull), 201);
});

/** The repository's comment `:id`, with the issue it is on. */
async function requireComment(c: Parameters<typeof requireReadableRepo>[0]) {
  const access = await requireReadableRepo(c);
  const comment = await getRepoComment(c.env.DB, access.repo.id, pathNumber(c.req.param('id'), 'comment'));
  if (!comment) throw notFound('comment not found');
  const issue = await getIssueById(c.env.DB, comment.issueId);
  if (!issue) throw notFound('comment not found');
  return { ...access, comment, issue };
}

commentsApi.get(
  `${REPO}/issues/comments/:id`,
  describe({
    summary: 'Get a comment',
    tags: ['issue'],
    operationId: 'issueGetComment',
    responses: { 200: CommentSchema },
  }),
);
commentsApi.get(`${REPO}/issues/comments/:id`, async (c) => {
  const { repo, comment, issue } = await requireComment(c);
  return c.json(commentJson(requestOrigin(c), repo, comment, issue.isPull));
});

commentsApi.patch(
  `${REPO}/issues/comments/:id`,
  describe({
    summary: 'Edit a comment',
    tags: ['issue'],
    operationId: 'issueEditComment',
    body: z.strictObject({ body: z.string() }),
    responses: { 200: CommentSchema },
  }),
);
commentsApi.patch(`${REPO}/issues/comments/:id`, async (c) => {
  const access = await requireComment(c);
  requireIssueWriter(c);
  const { repo, comment, issue } = access;
  const body = checkBody((await readJsonObject(c, ISSUE_JSON_MAX)).body, true) as string;
  requireAuthorOrWrite(access, comment.authorId, 'edit this comment');
  await updateComment(c.env.DB, comment.id, body);
  const updated = (await getRepoComment(c.env.DB, repo.id, comment.id)) ?? { ...comment, body };
  publishLater(c, repo, issue.number, async () => ({
    type: 'comment.updated',
    comment: await liveComment(c.env.DB, repo, updated),
  }));
  return c.json(commentJson(requestOrigin(c), repo, updated, issue.isPull));
});

commentsApi.delete(
  `${REPO}/issues/comments/:id`,
  describe({
    summary: 'Delete a comment',
    tags: ['issue'],
    operationId: 'issueDeleteComment',
    responses: { 204: 'deleted' },
  }),
);
commentsApi.delete(`${REPO}/issues/comments/:id`, async (c) => {
  const access = await requireComment(c);
  requireIssueWriter(c);
  requireAuthorOrWrite(access, access.comment.authorId, 'delete this comment');
  await deleteComment(c.env.DB, access.comment.id);
  publishLater(c, access.repo, access.issue.number, async () => ({
    type: 'comment.deleted',
    commentId: access.comment.id,
  }));
  return c.body(null, 204);
});
