// Pull requests: open (POST .../pulls), list, read, the unified diff (.diff), and merge in four
// styles. The issue row numbers and titles them (shared with issues); comments go through
// .../issues/{index}/comments. Merging runs in the repository's Durable Object (storage/merge.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import { can } from '../auth/access';
import { claimAutoMerge } from '../db/auto-merge';
import { createPull, findOpenPull, listPulls } from '../db/pulls';
import {
  findRepoSetting,
  GITEA_MERGE_STYLES,
  type GiteaMergeStyle,
  isMergeStyleAllowed,
  type RepoSettings,
} from '../db/repo-settings';
import { findUserByName } from '../db/users';
import { MERGE_STYLES, type MergeStyle } from '../git/merge/merge';
import { publishIssueEvent } from '../live/publish';
import { expectKind } from '../services/browse';
import { loadPull, type PullView } from '../services/pull-state';
import { repoClient } from '../services/repo-client';
import { scheduleMerge, unmetChecks } from './auto-merge';
import { optionalString, readJsonObject } from './body';
import { type ApiContext, type AppEnv, requestOrigin, requireActor } from './context';
import { ApiError, archivedError, conflict, forbidden, invalid, notFound, unauthorized } from './errors';
import { openForkPull } from './fork-pulls';
import { emitPullEvent, requestSource } from './hook-events';
import { pathNumber, requireReadableRepo, requireWrite } from './issue-access';
import {
  BODY_MAX,
  checkBody,
  checkTitle,
  ISSUE_JSON_MAX,
  resolveAssignees,
  resolveLabels,
} from './issue-input';
import { milestoneFilter, resolveMilestone } from './milestone-input';
import { describe } from './openapi/describe';
import { setPageHeaders } from './page-headers';
import { unifiedDiff } from './pull-diff';
import { pullJson } from './pull-json';
import { type MergeOrder, mergePull, refusal } from './pull-merge';
import { requireOpenUnit } from './repo-units';
import { PAGE_HEADERS, pageQuery } from './schemas/common';
import {
  CreatePullRequestOptionSchema,
  MergePullRequestOptionSchema,
  PullRequestSchema,
} from './schemas/pull';
import { pageOf } from './users';
import { isValidBranchName } from './validate';

export const pullsApi = new Hono<AppEnv>();

const PULLS = '/api/v1/repos/:owner/:repo/pulls';

function branchParam(body: Record<string, unknown>, key: 'head' | 'base'): string {
  const v = body[key];
  if (typeof v !== 'string' || v.trim() === '') throw invalid(`${key} must name a branch`);
  // GitHub accepts "owner:branch" for the head; only this repository's branches exist here.
  const name = v.includes(':') ? v.slice(v.indexOf(':') + 1) : v;
  if (!isValidBranchName(name)) throw invalid(`${key} '${v}' is not a valid branch name`);
  return name;
}

pullsApi.post(
  PULLS,
  describe({
    summary: 'Create a pull request',
    tags: ['repository'],
    operationId: 'repoCreatePullRequest',
    body: CreatePullRequestOptionSchema,
    responses: { 201: PullRequestSchema },
  }),
);
pullsApi.post(PULLS, async (c) => {
  const access = await requireReadableRepo(c);
  const { repo } = access;
  // Anyone who can read the repository may propose changes to it (signed in).
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const body = await readJsonObject(c, ISSUE_JSON_MAX);
  const title = checkTitle(body.title);
  const text = checkBody(body.body, false) ?? '';
  await requireOpenUnit(c, repo, 'pulls');
  // Only writers decide labels and assignees (as for issues); Renovate sends label ids.
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  if (nonEmpty(body.labels) || nonEmpty(body.assignees) || (body.milestone ?? 0) !== 0)
    requireWrite(access, 'set labels, assignees or a milestone');
  const labels = await resolveLabels(c.env.DB, repo.id, body, 'labels');
  const milestoneId = await resolveMilestone(c.env.DB, repo.id, body);
  const assignees = await resolveAssignees(c.env.DB, repo.id, body);
  const headOwner = typeof body.head === 'string' && body.head.includes(':') ? body.head.split(':')[0] : null;
  if (headOwner !== null && headOwner.toLowerCase() !== repo.owner.toLowerCase()) {
    const created = await openForkPull(c, repo, actor, {
      forkOwner: headOwner,
      branch: branchParam(body, 'head'),
      base: branchParam(body, 'base'),
      title,
      body: text,
    });
    const pull = await loadPull(c.env, repo, created.number);
    if (!pull) throw notFound('pull request not found');
    emitPullEvent(c, repo, pull.issue.number, 'opened');
    return c.json(pullJson(requestOrigin(c), repo, pull), 201);
  }
  const head = branchParam(body, 'head');
  const base = branchParam(body, 'base');
  if (head === base) throw invalid('head and base must be different branches');
  const state = await repoClient(c.env, repo).mergeability(base, head);
  if (state.baseSha === null) throw invalid(`base branch '${base}' does not exist`);
  if (state.headSha === null) throw invalid(`head branch '${head}' does not exist`);
  if (state.status === 'up_to_date')
    throw invalid(`there are no commits on '${head}' that are not on '${base}'`);
  if (state.status === 'unrelated')
    throw invalid(`'${head}' and '${base}' have entirely different histories`);
  const existing = await findOpenPull(c.env.DB, repo.id, head, base);
  if (existing !== null)
    throw conflict(`a pull request from '${head}' into '${base}' is already open: #${existing}`);
  const created = await createPull(c.env.DB, {
    repoId: repo.id,
    authorId: actor.userId,
    title,
    body: text,
    headBranch: head,
    baseBranch: base,
    headSha: state.headSha,
    baseSha: state.baseSha,
    mergeBase: state.mergeBase,
    mergeable: state.status,
    conflicts: state.conflicts,
    labelIds: labels?.map((l) => l.id),
    assigneeIds: assignees?.map((a) => a.id),
    milestoneId,
  });
  const pull = await loadPull(c.env, repo, created.number);
  if (!pull) throw notFound('pull request not found');
  emitPullEvent(c, repo, pull.issue.number, 'opened');
  return c.json(pullJson(requestOrigin(c), repo, pull), 201);
});

/** Gitea's `poster` filter: a user id, -1 (matching nothing) for an unknown name. */
async function posterId(c: ApiContext): Promise<number | undefined> {
  const login = c.req.query('poster');
  if (!login) return undefined;
  return (await findUserByName(c.env.DB, login))?.id ?? -1;
}

pullsApi.get(
  PULLS,
  describe({
    summary: "List a repo's pull requests",
    tags: ['repository'],
    operationId: 'repoListPullRequests',
    query: z.object({
      state: z.enum(['open', 'closed', 'all']).optional(),
      head: z.string().optional(),
      base_branch: z.string().optional(),
      poster: z.string().optional(),
      sort: z.string().optional(),
      ...pageQuery,
    }),
    responses: {
      200: { description: 'PullRequestList', schema: z.array(PullRequestSchema), headers: PAGE_HEADERS },
    },
  }),
);
pullsApi.get(PULLS, async (c) => {
  const { repo } = await requireReadableRepo(c);
  const state = c.req.query('state') ?? 'open';
  if (state !== 'open' && state !== 'closed' && state !== 'all')
    throw invalid('state must be open, closed or all');
  const page = pageOf(c);
  // Gitea filters by base_branch; head (GitHub's "owner:branch" or a branch) narrows likewise.
  const head = c.req.query('head');
  const base = c.req.query('base_branch') ?? c.req.query('base');
  const milestoneIds = await milestoneFilter(c.env.DB, repo.id, c.req.query('milestones'));
  if (milestoneIds === null) return c.json([], 200, { 'X-Total-Count': '0' });
  const { pulls, total } = await listPulls(c.env.DB, repo.id, {
    state,
    ...page,
    headBranch: head ? head.slice(head.indexOf(':') + 1) : undefined,
    baseBranch: base || undefined,
    recentUpdate: c.req.query('sort') === 'recentupdate',
    authorId: await posterId(c),
    milestoneIds,
  });
  const origin = requestOrigin(c);
  // The list shows what was last computed; reading one pull request refreshes it.
  const views: PullView[] = pulls.map((p) => ({
    ...p,
    headDeleted: false,
    baseDeleted: false,
    mergeableReason: null,
  }));
  setPageHeaders(c, total, page.offset / page.limit + 1, page.limit);
  return c.json(views.map((p) => pullJson(origin, repo, p)));
});

async function requirePull(c: ApiContext, index: string | undefined) {
  const access = await requireReadableRepo(c);
  const pull = await loadPull(c.env, access.repo, pathNumber(index, 'pull request'));
  if (!pull) throw notFound('pull request not found');
  return { ...access, pull };
}

pullsApi.get(
  `${PULLS}/:index`,
  describe({
    summary: 'Get a pull request',
    tags: ['repository'],
    operationId: 'repoGetPullRequest',
    responses: { 200: PullRequestSchema },
  }),
);
pullsApi.get(`${PULLS}/:index`, async (c) => {
  const raw = c.req.param('index');
  if (raw.endsWith('.diff')) {
    const { repo, pull } = await requirePull(c, raw.slice(0, -'.diff'.length));
    const r = expectKind(
      await repoClient(c.env, repo).browse({ kind: 'compare', base: pull.baseSha, head: pull.headSha }),
      'compare',
    );
    return c.body(unifiedDiff(r.files), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  }
  const { repo, pull } = await requirePull(c, raw);
  return c.json(pullJson(requestOrigin(c), repo, pull));
});

/** The merge style asked for, if the repository's settings allow it (Gitea answers 405). */
function mergeStyle(v: unknown, settings: RepoSettings): MergeStyle {
  if (typeof v !== 'string' || !(GITEA_MERGE_STYLES as readonly string[]).includes(v)) {
    throw invalid(`Do must be one of ${MERGE_STYLES.join(', ')}`);
  }
  if (!isMergeStyleAllowed(settings, v as GiteaMergeStyle)) {
    throw new ApiError(405, `${v} is not an allowed merge style for this repository`);
  }
  // Allowed styles are those the merge engine makes (settingsChanges refuses enabling others).
  if (!(MERGE_STYLES as readonly string[]).includes(v)) throw invalid(`merge style ${v} is not supported`);
  return v as MergeStyle;
}

function booleanField(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${key} must be true or false`);
  return v;
}

async function requireWriter(c: ApiContext, verb: string) {
  const access = await requireReadableRepo(c);
  if (!can(access.permission, 'write')) {
    if (!access.actor) throw unauthorized();
    throw forbidden(`write permission on the repository is required to ${verb}`);
  }
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  return { repo: access.repo, actor };
}

pullsApi.post(
  `${PULLS}/:index/merge`,
  describe({
    summary: 'Merge a pull request',
    tags: ['repository'],
    operationId: 'repoMergePullRequest',
    body: MergePullRequestOptionSchema,
    responses: {
      200: PullRequestSchema,
      201: 'scheduled to merge when checks succeed (merge_when_checks_succeed)',
      405: 'not mergeable (the reason in the message)',
    },
  }),
);
pullsApi.post(`${PULLS}/:index/merge`, async (c) => {
  const { repo, actor } = await requireWriter(c, 'merge');
  const number = pathNumber(c.req.param('index'), 'pull request');
  const body = await readJsonObject(c);
  const settings = await findRepoSetting(c.env.DB, repo.id);
  if (settings.archived) throw archivedError();
  const order: MergeOrder = {
    style: mergeStyle(body.Do, settings),
    title: optionalString(body, 'MergeTitleField', 1024),
    message: optionalString(body, 'MergeMessageField', BODY_MAX),
    expectedHead: optionalString(body, 'head_commit_id', 40),
    deleteBranch: booleanField(body, 'delete_branch_after_merge') ?? settings.defaultDeleteBranchAfterMerge,
  };
  const whenChecksSucceed = booleanField(body, 'merge_when_checks_succeed') ?? false;
  const pull = await loadPull(c.env, repo, number);
  if (!pull) throw notFound('pull request not found');
  if (pull.merged) throw conflict('the pull request is already merged');
  if (pull.issue.state !== 'open') throw conflict('the pull request is closed');
  // Gitea schedules only what its rule does not let merge yet; what may merge merges now.
  if (whenChecksSucceed && (await unmetChecks(c.env, repo, pull)) !== undefined) {
    if (pull.mergeable === 'conflict') throw conflict(`merge conflict in: ${pull.conflicts.join(', ')}`);
    if ((await scheduleMerge(c.env, repo, pull, actor.userId, order)) === 'exists')
      throw conflict('the pull request is already scheduled to merge when checks succeed');
    await publishIssueEvent(c.env, repo.id, number, { type: 'pull.auto_merge_scheduled' });
    return c.body(null, 201);
  }
  const result = await mergePull(requestSource(c), repo, pull, order);
  if (result.kind !== 'merged') throw refusal(result, pull);
  const merged = await loadPull(c.env, repo, number);
  if (!merged) throw notFound('pull request not found');
  return c.json(pullJson(requestOrigin(c), repo, merged));
});

/** Gitea's cancel of a scheduled auto-merge: writers (the scheduler is one), 404 when none. */
pullsApi.delete(
  `${PULLS}/:index/merge`,
  describe({
    summary: 'Cancel the scheduled auto merge for the given pull request',
    tags: ['repository'],
    operationId: 'repoCancelScheduledAutoMerge',
    responses: { 204: 'cancelled', 404: 'nothing scheduled' },
  }),
);
pullsApi.delete(`${PULLS}/:index/merge`, async (c) => {
  const { repo } = await requireWriter(c, 'cancel an auto-merge');
  const number = pathNumber(c.req.param('index'), 'pull request');
  const settings = await findRepoSetting(c.env.DB, repo.id);
  if (settings.archived) throw archivedError();
  const pull = await loadPull(c.env, repo, number);
  if (!pull) throw notFound('pull request not found');
  if (!(await claimAutoMerge(c.env.DB, pull.issue.id)))
    throw notFound('the pull request is not scheduled to merge automatically');
  await publishIssueEvent(c.env, repo.id, number, { type: 'pull.auto_merge_cancelled' });
  return c.body(null, 204);
});
