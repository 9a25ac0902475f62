// Issues: create, list with filters, read, edit (state, title, body, labels, assignees), and the
// live channel of one issue.
import { Hono } from 'hono';
import { z } from 'zod';
import { authBaseURL } from '../auth/auth';
import { credentialRef } from '../auth/recheck';
import {
  createIssue,
  getIssueById,
  type IssueChanges,
  type IssueFilter,
  type IssueRecord,
  listIssues,
  updateIssue,
} from '../db/issues';
import { findLabelsByNames } from '../db/labels';
import { getPullByNumber } from '../db/pulls';
import { findUserByName } from '../db/users';
import { liveStub } from '../live/publish';
import { readJsonObject } from './body';
import { type AppEnv, requestOrigin } from './context';
import { forbidden, invalid, notFound } from './errors';
import { emitIssueEvent } from './hook-events';
import {
  requireAuthorOrWrite,
  requireIssue,
  requireIssueWriter,
  requireReadableRepo,
  requireWrite,
} from './issue-access';
import { publishIssueUpdated } from './issue-events';
import {
  checkBody,
  checkState,
  checkTitle,
  ISSUE_JSON_MAX,
  resolveAssignees,
  resolveLabels,
} from './issue-input';
import { issueJson } from './issue-json';
import { milestoneFilter, resolveMilestone } from './milestone-input';
import { describe } from './openapi/describe';
import { setPageHeaders } from './page-headers';
import { requireOpenUnit } from './repo-units';
import { PAGE_HEADERS, pageQuery } from './schemas/common';
import { CreateIssueOptionSchema, EditIssueOptionSchema, IssueSchema } from './schemas/issue';
import { pageOf } from './users';

export const issuesApi = new Hono<AppEnv>();

const ISSUES = '/api/v1/repos/:owner/:repo/issues';

issuesApi.get(
  ISSUES,
  describe({
    summary: "List a repository's issues",
    tags: ['issue'],
    operationId: 'issueListIssues',
    query: z.object({
      state: z.enum(['open', 'closed', 'all']).optional().describe('whether issue is open or closed'),
      type: z.enum(['issues', 'pulls']).optional().describe('filter by type (issues / pulls) if set'),
      labels: z.string().optional().describe('comma separated list of label names'),
      created_by: z.string().optional(),
      assigned_by: z.string().optional(),
      ...pageQuery,
    }),
    responses: { 200: { description: 'IssueList', schema: z.array(IssueSchema), headers: PAGE_HEADERS } },
  }),
);
issuesApi.get(ISSUES, async (c) => {
  const { repo } = await requireReadableRepo(c);
  const db = c.env.DB;
  const state = c.req.query('state') ?? 'open';
  if (state !== 'open' && state !== 'closed' && state !== 'all')
    throw invalid('state must be open, closed or all');
  const type = c.req.query('type');
  if (type !== undefined && type !== 'issues' && type !== 'pulls')
    throw invalid('type must be issues or pulls');
  const { limit, offset } = pageOf(c);
  const filter: IssueFilter = {
    state,
    isPull: type === undefined ? undefined : type === 'pulls',
    limit,
    offset,
  };
  const empty = () => c.json([], 200, { 'X-Total-Count': '0' });
  // Filters naming something that does not exist match nothing (as GitHub answers).
  const labelNames = (c.req.query('labels') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (labelNames.length > 0) {
    const labels = await findLabelsByNames(
      db,
      repo.id,
      [...new Set(labelNames.map((n) => n.toLowerCase()))].slice(0, 20),
    );
    if (labels.length < new Set(labelNames.map((n) => n.toLowerCase())).size) return empty();
    filter.labelIds = labels.map((l) => l.id);
  }
  for (const [param, key] of [
    ['created_by', 'authorId'],
    ['assigned_by', 'assigneeId'],
  ] as const) {
    const login = c.req.query(param);
    if (!login) continue;
    const user = await findUserByName(db, login);
    if (!user) return empty();
    filter[key] = user.id;
  }
  const milestoneIds = await milestoneFilter(db, repo.id, c.req.query('milestones'));
  if (milestoneIds === null) return empty();
  filter.milestoneIds = milestoneIds;
  filter.q = c.req.query('q')?.trim().slice(0, 255) || undefined;
  const { issues, total } = await listIssues(db, repo.id, filter);
  const origin = requestOrigin(c);
  setPageHeaders(c, total, offset / limit + 1, limit);
  return c.json(issues.map((i) => issueJson(origin, repo, i)));
});

issuesApi.post(
  ISSUES,
  describe({
    summary: 'Create an issue',
    tags: ['issue'],
    operationId: 'issueCreateIssue',
    body: CreateIssueOptionSchema,
    responses: { 201: IssueSchema },
  }),
);
issuesApi.post(ISSUES, async (c) => {
  const access = await requireReadableRepo(c);
  const actor = requireIssueWriter(c);
  const { repo } = access;
  await requireOpenUnit(c, repo, 'issues');
  const body = await readJsonObject(c, ISSUE_JSON_MAX);
  // Anyone who can read may open an issue; only writers decide its labels and assignees.
  const nonEmpty = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  if (nonEmpty(body.labels) || nonEmpty(body.assignees) || nonEmpty(body.milestone))
    requireWrite(access, 'set labels, assignees or a milestone');
  const title = checkTitle(body.title);
  const text = checkBody(body.body, false) ?? '';
  const labels = await resolveLabels(c.env.DB, repo.id, body, 'labels');
  const assignees = await resolveAssignees(c.env.DB, repo.id, body);
  const milestoneId = await resolveMilestone(c.env.DB, repo.id, body);
  const { id } = await createIssue(c.env.DB, {
    milestoneId,
    repoId: repo.id,
    authorId: actor.userId,
    title,
    body: text,
    isPull: false,
    labelIds: labels?.map((l) => l.id),
    assigneeIds: assignees?.map((a) => a.id),
  });
  const issue = await getIssueById(c.env.DB, id);
  if (!issue) throw notFound('issue not found');
  emitIssueEvent(c, repo, issue, 'opened');
  return c.json(issueJson(requestOrigin(c), repo, issue), 201);
});

issuesApi.get(
  `${ISSUES}/:index`,
  describe({
    summary: 'Get an issue',
    tags: ['issue'],
    operationId: 'issueGetIssue',
    responses: { 200: IssueSchema },
  }),
);
issuesApi.get(`${ISSUES}/:index`, async (c) => {
  const { repo, issue } = await requireIssue(c);
  return c.json(issueJson(requestOrigin(c), repo, issue));
});

issuesApi.patch(
  `${ISSUES}/:index`,
  describe({
    summary: 'Edit an issue',
    tags: ['issue'],
    operationId: 'issueEditIssue',
    body: EditIssueOptionSchema,
    responses: { 201: IssueSchema },
  }),
);
issuesApi.patch(`${ISSUES}/:index`, async (c) => {
  const access = await requireIssue(c);
  requireIssueWriter(c);
  const { repo, issue } = access;
  const body = await readJsonObject(c, ISSUE_JSON_MAX);
  const given = (key: string) => body[key] !== undefined && body[key] !== null;
  // Permission first (from which fields are given), so a refusal does not depend on the values.
  if (given('title') || given('body') || given('state')) {
    requireAuthorOrWrite(access, issue.authorId, 'edit or close this issue');
  }
  if (given('labels') || given('assignees') || body.milestone !== undefined)
    requireWrite(access, 'change labels, assignees or the milestone');
  const changes: IssueChanges = {};
  if (given('title')) changes.title = checkTitle(body.title);
  changes.body = checkBody(body.body, false);
  changes.state = checkState(body.state);
  // A merged pull request stays closed: its commits are in the base branch.
  if (
    changes.state === 'open' &&
    issue.isPull &&
    (await getPullByNumber(c.env.DB, repo.id, issue.number))?.merged
  ) {
    throw invalid('a merged pull request cannot be reopened');
  }
  changes.labelIds = (await resolveLabels(c.env.DB, repo.id, body, 'labels'))?.map((l) => l.id);
  changes.assigneeIds = (await resolveAssignees(c.env.DB, repo.id, body))?.map((a) => a.id);
  changes.milestoneId = await resolveMilestone(c.env.DB, repo.id, body);
  await updateIssue(c.env.DB, issue.id, changes);
  const updated = await getIssueById(c.env.DB, issue.id);
  if (!updated) throw notFound('issue not found');
  publishIssueUpdated(c, repo, issue.id, issue.number);
  emitIssueEvent(c, repo, updated, issueAction(issue, updated));
  return c.json(issueJson(requestOrigin(c), repo, updated), 201);
});

// The live channel: a WebSocket upgrade, allowed to whoever may read the repository.
issuesApi.get(
  `${ISSUES}/:index/live`,
  describe({
    summary: 'The live channel of an issue (a WebSocket upgrade; not Gitea’s)',
    tags: ['issue'],
    responses: { 101: 'switching to the WebSocket' },
  }),
);
issuesApi.get(`${ISSUES}/:index/live`, async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    return c.json({ message: 'expected a WebSocket upgrade' }, 426);
  }
  // Browsers send Origin on WebSocket handshakes: refuse pages of other sites riding on the cookie.
  const origin = c.req.header('origin');
  if (origin && origin !== new URL(c.req.url).origin && origin !== authBaseURL(c.env, c.req.raw))
    throw forbidden('cross-site WebSocket refused');
  const { repo, issue, actor } = await requireIssue(c);
  const target = new URL('https://live.internal/connect');
  target.searchParams.set('issue', String(issue.number));
  // Who opened the socket, so the channel can check again that they still may read it.
  target.searchParams.set('repo', String(repo.id));
  target.searchParams.set('credential', JSON.stringify(credentialRef(actor)));
  return liveStub(c.env, repo.id).fetch(new Request(target, { headers: c.req.raw.headers }));
});

/** Gitea's action for an edit: a state change wins, else `edited`. */
function issueAction(before: IssueRecord, after: IssueRecord): string {
  if (before.state !== after.state) return after.state === 'closed' ? 'closed' : 'reopened';
  return 'edited';
}
