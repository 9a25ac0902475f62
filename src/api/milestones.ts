// Milestones (Gitea's API): readers list and read them; writers create, edit, close and delete.
import { Hono } from 'hono';
import { z } from 'zod';
import {
  createMilestone,
  deleteMilestone,
  getMilestone,
  listMilestones,
  type MilestoneChanges,
  updateMilestone,
} from '../db/milestones';
import { readJsonObject } from './body';
import type { ApiContext, AppEnv } from './context';
import { invalid, notFound } from './errors';
import { pathNumber, requireIssueWriter, requireReadableRepo, requireWrite } from './issue-access';
import { milestoneJson } from './issue-json';
import {
  checkDueOn,
  checkMilestoneDescription,
  checkMilestoneState,
  checkMilestoneTitle,
} from './milestone-input';
import { describe } from './openapi/describe';
import { setPageHeaders } from './page-headers';
import { PAGE_HEADERS, pageQuery } from './schemas/common';
import { CreateMilestoneOptionSchema, EditMilestoneOptionSchema, MilestoneSchema } from './schemas/issue';
import { pageOf } from './users';

export const milestonesApi = new Hono<AppEnv>();

const MILESTONES = '/api/v1/repos/:owner/:repo/milestones';

milestonesApi.get(
  MILESTONES,
  describe({
    summary: "Get all of a repository's opened milestones",
    tags: ['issue'],
    operationId: 'issueGetMilestonesList',
    query: z.object({
      state: z
        .enum(['open', 'closed', 'all'])
        .optional()
        .describe('Milestone state, Recognized values are open, closed and all. Defaults to "open"'),
      name: z.string().optional().describe('filter by milestone name'),
      ...pageQuery,
    }),
    responses: {
      200: { description: 'MilestoneList', schema: z.array(MilestoneSchema), headers: PAGE_HEADERS },
    },
  }),
);
milestonesApi.get(MILESTONES, async (c) => {
  const { repo } = await requireReadableRepo(c);
  const state = c.req.query('state') ?? 'open';
  if (state !== 'open' && state !== 'closed' && state !== 'all')
    throw invalid('state must be open, closed or all');
  const { limit, offset } = pageOf(c);
  const { milestones, total } = await listMilestones(c.env.DB, repo.id, {
    state,
    name: c.req.query('name') || undefined,
    limit,
    offset,
  });
  setPageHeaders(c, total, offset / limit + 1, limit);
  return c.json(milestones.map(milestoneJson));
});

async function requireWriterRepo(c: ApiContext) {
  const access = await requireReadableRepo(c);
  requireIssueWriter(c);
  requireWrite(access, 'manage milestones');
  return access;
}

milestonesApi.post(
  MILESTONES,
  describe({
    summary: 'Create a milestone',
    tags: ['issue'],
    operationId: 'issueCreateMilestone',
    body: CreateMilestoneOptionSchema,
    responses: { 201: MilestoneSchema },
  }),
);
milestonesApi.post(MILESTONES, async (c) => {
  const { repo } = await requireWriterRepo(c);
  const body = await readJsonObject(c);
  const milestone = await createMilestone(c.env.DB, {
    repoId: repo.id,
    title: checkMilestoneTitle(body.title),
    description: checkMilestoneDescription(body.description) ?? '',
    state: checkMilestoneState(body.state) ?? 'open',
    dueOn: checkDueOn(body.due_on) ?? null,
  });
  return c.json(milestoneJson(milestone), 201);
});

/** `:id` is a milestone id, or (as Gitea) its title. */
async function findMilestone(c: ApiContext, repoId: number) {
  const raw = c.req.param('id') ?? '';
  if (/^[1-9][0-9]{0,15}$/.test(raw)) {
    const m = await getMilestone(c.env.DB, repoId, pathNumber(raw, 'milestone'));
    if (m) return m;
  }
  const { milestones } = await listMilestones(c.env.DB, repoId, {
    state: 'all',
    name: raw,
    limit: 50,
    offset: 0,
  });
  const m = milestones.find((x) => x.title.toLowerCase() === raw.toLowerCase());
  if (!m) throw notFound('milestone not found');
  return m;
}

milestonesApi.get(
  `${MILESTONES}/:id`,
  describe({
    summary: 'Get a milestone',
    tags: ['issue'],
    operationId: 'issueGetMilestone',
    params: { id: 'the milestone to get, identified by ID and if not available by name' },
    responses: { 200: MilestoneSchema },
  }),
);
milestonesApi.get(`${MILESTONES}/:id`, async (c) => {
  const { repo } = await requireReadableRepo(c);
  return c.json(milestoneJson(await findMilestone(c, repo.id)));
});

milestonesApi.patch(
  `${MILESTONES}/:id`,
  describe({
    summary: 'Update a milestone',
    tags: ['issue'],
    operationId: 'issueEditMilestone',
    params: { id: 'the milestone to edit, identified by ID and if not available by name' },
    body: EditMilestoneOptionSchema,
    responses: { 200: MilestoneSchema },
  }),
);
milestonesApi.patch(`${MILESTONES}/:id`, async (c) => {
  const { repo } = await requireWriterRepo(c);
  const milestone = await findMilestone(c, repo.id);
  const body = await readJsonObject(c);
  const changes: MilestoneChanges = {
    title: body.title === undefined || body.title === null ? undefined : checkMilestoneTitle(body.title),
    description: checkMilestoneDescription(body.description),
    state: checkMilestoneState(body.state),
    dueOn: checkDueOn(body.due_on),
  };
  await updateMilestone(c.env.DB, repo.id, milestone.id, changes);
  const updated = await getMilestone(c.env.DB, repo.id, milestone.id);
  if (!updated) throw notFound('milestone not found');
  return c.json(milestoneJson(updated));
});

milestonesApi.delete(
  `${MILESTONES}/:id`,
  describe({
    summary: 'Delete a milestone',
    tags: ['issue'],
    operationId: 'issueDeleteMilestone',
    params: { id: 'the milestone to delete, identified by ID and if not available by name' },
    responses: { 204: 'deleted' },
  }),
);
milestonesApi.delete(`${MILESTONES}/:id`, async (c) => {
  const { repo } = await requireWriterRepo(c);
  const milestone = await findMilestone(c, repo.id);
  await deleteMilestone(c.env.DB, repo.id, milestone.id);
  return c.body(null, 204);
});
