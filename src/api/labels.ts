// Repository labels (writers manage them) and the labels on an issue.
import { Hono } from 'hono';
import { z } from 'zod';
import { getIssueById } from '../db/issues';
import {
  addIssueLabels,
  createLabel,
  deleteLabel,
  getLabel,
  type LabelChanges,
  listLabels,
  removeIssueLabel,
  replaceIssueLabels,
  updateLabel,
} from '../db/labels';
import { readJsonObject } from './body';
import { type ApiContext, type AppEnv, requestOrigin } from './context';
import { conflict, invalid, notFound } from './errors';
import {
  pathNumber,
  requireIssue,
  requireIssueWriter,
  requireReadableRepo,
  requireWrite,
} from './issue-access';
import { publishIssueUpdated } from './issue-events';
import { checkColor, checkLabelName, LABEL_DESCRIPTION_MAX, resolveLabels } from './issue-input';
import { labelJson } from './issue-json';
import { describe } from './openapi/describe';
import { CreateLabelOptionSchema, LabelSchema } from './schemas/issue';

export const labelsApi = new Hono<AppEnv>();

const REPO = '/api/v1/repos/:owner/:repo';

function checkDescription(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid('description must be a string');
  if (v.length > LABEL_DESCRIPTION_MAX)
    throw invalid(`description must be at most ${LABEL_DESCRIPTION_MAX} characters`);
  return v;
}

labelsApi.get(
  `${REPO}/labels`,
  describe({
    summary: "Get all of a repository's labels",
    tags: ['issue'],
    operationId: 'issueListLabels',
    responses: { 200: z.array(LabelSchema) },
  }),
);
labelsApi.get(`${REPO}/labels`, async (c) => {
  const { repo } = await requireReadableRepo(c);
  const origin = requestOrigin(c);
  return c.json((await listLabels(c.env.DB, repo.id)).map((l) => labelJson(origin, repo, l)));
});

labelsApi.post(
  `${REPO}/labels`,
  describe({
    summary: 'Create a label',
    tags: ['issue'],
    operationId: 'issueCreateLabel',
    body: CreateLabelOptionSchema,
    responses: { 201: LabelSchema },
  }),
);
labelsApi.post(`${REPO}/labels`, async (c) => {
  const access = await requireReadableRepo(c);
  requireIssueWriter(c);
  requireWrite(access, 'manage labels');
  const body = await readJsonObject(c);
  const name = checkLabelName(body.name);
  const color = checkColor(body.color);
  const description = checkDescription(body.description) ?? '';
  const label = await createLabel(c.env.DB, { repoId: access.repo.id, name, color, description });
  if (!label) throw conflict(`label ${name} already exists`);
  return c.json(labelJson(requestOrigin(c), access.repo, label), 201);
});

async function requireLabel(c: ApiContext) {
  const access = await requireReadableRepo(c);
  const label = await getLabel(c.env.DB, access.repo.id, pathNumber(c.req.param('id'), 'label'));
  if (!label) throw notFound('label not found');
  return { ...access, label };
}

labelsApi.get(
  `${REPO}/labels/:id`,
  describe({
    summary: 'Get a single label',
    tags: ['issue'],
    operationId: 'issueGetLabel',
    responses: { 200: LabelSchema },
  }),
);
labelsApi.get(`${REPO}/labels/:id`, async (c) => {
  const { repo, label } = await requireLabel(c);
  return c.json(labelJson(requestOrigin(c), repo, label));
});

labelsApi.patch(
  `${REPO}/labels/:id`,
  describe({
    summary: 'Update a label',
    tags: ['issue'],
    operationId: 'issueEditLabel',
    body: CreateLabelOptionSchema.partial(),
    responses: { 200: LabelSchema },
  }),
);
labelsApi.patch(`${REPO}/labels/:id`, async (c) => {
  const access = await requireLabel(c);
  requireIssueWriter(c);
  requireWrite(access, 'manage labels');
  const body = await readJsonObject(c);
  const ch: LabelChanges = {
    name: body.name === undefined ? undefined : checkLabelName(body.name),
    color: body.color === undefined ? undefined : checkColor(body.color),
    description: checkDescription(body.description),
  };
  if ((await updateLabel(c.env.DB, access.repo.id, access.label.id, ch)) === 'conflict') {
    throw conflict(`label ${ch.name} already exists`);
  }
  const label = await getLabel(c.env.DB, access.repo.id, access.label.id);
  if (!label) throw notFound('label not found');
  return c.json(labelJson(requestOrigin(c), access.repo, label));
});

labelsApi.delete(
  `${REPO}/labels/:id`,
  describe({
    summary: 'Delete a label',
    tags: ['issue'],
    operationId: 'issueDeleteLabel',
    responses: { 204: 'deleted' },
  }),
);
labelsApi.delete(`${REPO}/labels/:id`, async (c) => {
  const access = await requireLabel(c);
  requireIssueWriter(c);
  requireWrite(access, 'manage labels');
  await deleteLabel(c.env.DB, access.repo.id, access.label.id);
  return c.body(null, 204);
});

// The labels on one issue.
const ISSUE_LABELS = `${REPO}/issues/:index/labels`;

async function issueLabelsAnswer(c: ApiContext, repo: Parameters<typeof labelJson>[1], issueId: number) {
  const issue = await getIssueById(c.env.DB, issueId);
  if (!issue) throw notFound('issue not found');
  const origin = requestOrigin(c);
  return c.json(issue.labels.map((l) => labelJson(origin, repo, l)));
}

labelsApi.get(
  ISSUE_LABELS,
  describe({
    summary: "Get an issue's labels",
    tags: ['issue'],
    operationId: 'issueGetLabels',
    responses: { 200: z.array(LabelSchema) },
  }),
);
labelsApi.get(ISSUE_LABELS, async (c) => {
  const { repo, issue } = await requireIssue(c);
  return issueLabelsAnswer(c, repo, issue.id);
});

const IssueLabelsOptionSchema = z.strictObject({ labels: z.array(z.union([z.number().int(), z.string()])) });
labelsApi.post(
  ISSUE_LABELS,
  describe({
    summary: 'Add a label to an issue',
    tags: ['issue'],
    operationId: 'issueAddLabel',
    body: IssueLabelsOptionSchema,
    responses: { 200: z.array(LabelSchema) },
  }),
);
labelsApi.put(
  ISSUE_LABELS,
  describe({
    summary: "Replace an issue's labels",
    tags: ['issue'],
    operationId: 'issueReplaceLabels',
    body: IssueLabelsOptionSchema,
    responses: { 200: z.array(LabelSchema) },
  }),
);
for (const method of ['post', 'put'] as const) {
  labelsApi[method](ISSUE_LABELS, async (c) => {
    const access = await requireIssue(c);
    requireIssueWriter(c);
    requireWrite(access, 'change labels');
    const labels = await resolveLabels(c.env.DB, access.repo.id, await readJsonObject(c), 'labels');
    if (labels === undefined) throw invalid('labels is required');
    const ids = labels.map((l) => l.id);
    // POST adds to the issue's labels; PUT replaces them (Gitea).
    if (method === 'post') await addIssueLabels(c.env.DB, access.issue.id, ids);
    else await replaceIssueLabels(c.env.DB, access.issue.id, ids);
    publishIssueUpdated(c, access.repo, access.issue.id, access.issue.number);
    return issueLabelsAnswer(c, access.repo, access.issue.id);
  });
}

labelsApi.delete(
  ISSUE_LABELS,
  describe({
    summary: 'Remove all labels from an issue',
    tags: ['issue'],
    operationId: 'issueClearLabels',
    responses: { 204: 'removed' },
  }),
);
labelsApi.delete(ISSUE_LABELS, async (c) => {
  const access = await requireIssue(c);
  requireIssueWriter(c);
  requireWrite(access, 'change labels');
  await replaceIssueLabels(c.env.DB, access.issue.id, []);
  publishIssueUpdated(c, access.repo, access.issue.id, access.issue.number);
  return c.body(null, 204);
});

labelsApi.delete(
  `${ISSUE_LABELS}/:id`,
  describe({
    summary: 'Remove a label from an issue',
    tags: ['issue'],
    operationId: 'issueRemoveLabel',
    responses: { 204: 'removed' },
  }),
);
labelsApi.delete(`${ISSUE_LABELS}/:id`, async (c) => {
  const access = await requireIssue(c);
  requireIssueWriter(c);
  requireWrite(access, 'change labels');
  const labelId = pathNumber(c.req.param('id'), 'label');
  if (!access.issue.labels.some((l) => l.id === labelId)) throw notFound('label not on the issue');
  await removeIssueLabel(c.env.DB, access.issue.id, labelId);
  publishIssueUpdated(c, access.repo, access.issue.id, access.issue.number);
  return c.body(null, 204);
});
