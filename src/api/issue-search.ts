// Gitea's issue search across the repositories the caller may read: GET /api/v1/repos/issues/search.
import { Hono } from 'hono';
import { z } from 'zod';
import { scopeCeiling } from '../auth/access';
import { searchIssues } from '../db/issues';
import { findRepoById, type RepoRecord, visibleRepoIds } from '../db/repos';
import { type AppEnv, currentActor, requestOrigin } from './context';
import { invalid } from './errors';
import { issueJson } from './issue-json';
import { describe } from './openapi/describe';
import { setPageHeaders } from './page-headers';
import { PAGE_HEADERS, pageQuery } from './schemas/common';
import { IssueSchema } from './schemas/issue';
import { pageOf } from './users';

export const issueSearchApi = new Hono<AppEnv>();

/** Repositories searched at most (the most recently updated that the caller may see). */
const REPOS_MAX = 500;

const names = (v: string | undefined) =>
  [
    ...new Set(
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 20);

// Registered before /repos/:owner/:repo, which would take "issues/search" for a repository.
issueSearchApi.get(
  '/api/v1/repos/issues/search',
  describe({
    summary: 'Search for issues across the repositories that the user has access to',
    tags: ['issue'],
    operationId: 'issueSearchIssues',
    query: z.object({
      state: z.enum(['open', 'closed', 'all']).optional().describe('whether issue is open or closed'),
      labels: z
        .string()
        .optional()
        .describe(
          'comma separated list of labels. Fetch only issues that have any of this labels. Non existent labels are discarded',
        ),
      milestones: z
        .string()
        .optional()
        .describe(
          'comma separated list of milestone names. Fetch only issues that have any of this milestones. Non existent are discarded',
        ),
      q: z.string().optional().describe('search string'),
      type: z.enum(['issues', 'pulls']).optional().describe('filter by type (issues / pulls) if set'),
      owner: z.string().optional().describe('filter by owner'),
      ...pageQuery,
    }),
    responses: { 200: { description: 'IssueList', schema: z.array(IssueSchema), headers: PAGE_HEADERS } },
  }),
);
issueSearchApi.get('/api/v1/repos/issues/search', async (c) => {
  const state = c.req.query('state') ?? 'open';
  if (state !== 'open' && state !== 'closed' && state !== 'all')
    throw invalid('state must be open, closed or all');
  const type = c.req.query('type');
  if (type !== undefined && type !== 'issues' && type !== 'pulls')
    throw invalid('type must be issues or pulls');
  const actor = currentActor(c);
  // A token that may not read issues searches as anonymous would: public repositories only.
  const viewer = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
  const ids = await visibleRepoIds(c.env.DB, viewer, c.req.query('owner') || null, REPOS_MAX);
  const { limit, offset } = pageOf(c);
  const { issues, total } = await searchIssues(c.env.DB, ids, {
    state,
    isPull: type === undefined ? undefined : type === 'pulls',
    q: c.req.query('q')?.trim().slice(0, 255) || undefined,
    labelNames: names(c.req.query('labels')),
    milestoneTitles: names(c.req.query('milestones')),
    limit,
    offset,
  });
  const repos = new Map<number, RepoRecord>();
  for (const id of new Set(issues.map((i) => i.repoId))) {
    const repo = await findRepoById(c.env.DB, id);
    if (repo) repos.set(id, repo);
  }
  const origin = requestOrigin(c);
  setPageHeaders(c, total, offset / limit + 1, limit);
  return c.json(
    issues.flatMap((i) => {
      const repo = repos.get(i.repoId);
      return repo ? [issueJson(origin, repo, i)] : [];
    }),
  );
});
