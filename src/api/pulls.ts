// Pull requests: open (POST .../pulls), list, read, the unified diff (.diff), and merge in four
// styles. The issue row numbers and titles them (shared with issues); comments go through
// .../issues/{index}/comments. Merging runs in the repository's Durable Object (storage/merge.ts).
import { Hono } from 'hono';
import { can } from '../auth/access';
import type { Actor } from '../auth/authenticate';
import { commitIdentity, noReplyHost } from '../auth/commit-identity';
import { createPull, findOpenPull, listPulls, markMerged } from '../db/pulls';
import {
  findRepoSetting,
  GITEA_MERGE_STYLES,
  type GiteaMergeStyle,
  isMergeStyleAllowed,
  type RepoSettings,
} from '../db/repo-settings';
import type { RepoRecord } from '../db/repos';
import { findUserById, findUserByName } from '../db/users';
import { MERGE_STYLES, type MergeStyle } from '../git/merge/merge';
import type { MergeResult } from '../git/merge/merge-refs';
import { publishIssueEvent } from '../live/publish';
import { expectKind } from '../services/browse';
import { mergeProtection, pullFacts } from '../services/protection';
import { headRefOf } from '../services/pull-head';
import { loadPull, type PullView } from '../services/pull-state';
import { repoClient } from '../services/repo-client';
import { optionalString, readJsonObject } from './body';
import { type ApiContext, type AppEnv, requestOrigin, requireActor } from './context';
import { ApiError, archivedError, conflict, forbidden, invalid, notFound, unauthorized } from './errors';
import { openForkPull } from './fork-pulls';
import { emitMergePush, emitPullEvent } from './hook-events';
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
import { setPageHeaders } from './page-headers';
import { unifiedDiff } from './pull-diff';
import { pullJson } from './pull-json';
import { requireOpenUnit } from './repo-units';
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

function defaultTitle(style: MergeStyle, pull: PullView): string {
  const n = pull.issue.number;
  if (style === 'squash') return `${pull.issue.title} (#${n})`;
  return `Merge pull request '${pull.issue.title}' (#${n}) from ${pull.headBranch} into ${pull.baseBranch}`;
}

/** Why a merge did not happen, as the 409 the contract asks for. */
function refusal(r: Exclude<MergeResult, { kind: 'merged' }>, pull: PullView): ApiError {
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

async function mergerIdentity(c: ApiContext, actor: Actor) {
  const user = await findUserById(c.env.DB, actor.userId);
  if (!user) throw unauthorized();
  return { ...commitIdentity(user, noReplyHost(c.env, c.req.url)), time: Math.floor(Date.now() / 1000) };
}

pullsApi.post(`${PULLS}/:index/merge`, async (c) => {
  const access = await requireReadableRepo(c);
  if (!can(access.permission, 'write')) {
    if (!access.actor) throw unauthorized();
    throw forbidden('write permission on the repository is required to merge');
  }
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const number = pathNumber(c.req.param('index'), 'pull request');
  const body = await readJsonObject(c);
  const settings = await findRepoSetting(c.env.DB, access.repo.id);
  if (settings.archived) throw archivedError();
  const style = mergeStyle(body.Do, settings);
  const titleField = optionalString(body, 'MergeTitleField', 1024);
  const messageField = optionalString(body, 'MergeMessageField', BODY_MAX);
  const expectedHead = optionalString(body, 'head_commit_id', 40);
  const repo: RepoRecord = access.repo;
  const pull = await loadPull(c.env, repo, number);
  if (!pull) throw notFound('pull request not found');
  if (pull.merged) throw conflict('the pull request is already merged');
  if (pull.issue.state !== 'open') throw conflict('the pull request is closed');
  const title = titleField?.trim() || defaultTitle(style, pull);
  const message = messageField?.trim() ? `${title}\n\n${messageField.trim()}` : title;
  const who = await mergerIdentity(c, actor);
  const standing = await pullFacts(c.env.DB, repo.id, { issueId: pull.issue.id, ...pull });
  const protection = mergeProtection(standing, actor.username);
  const result = await repoClient(c.env, repo).merge({
    style,
    base: pull.baseBranch,
    head: headRefOf(pull),
    // Reviews and statuses were read for this head: a branch that moved since is not merged.
    expectedHead: expectedHead || (protection ? pull.headSha : undefined),
    message,
    author: who,
    committer: who,
    protection,
  });
  if (result.kind !== 'merged') throw refusal(result, pull);
  await markMerged(c.env.DB, pull.issue.id, {
    by: actor.userId,
    style,
    headSha: result.head,
    baseSha: result.oldBase,
    mergeBase: result.mergeBase,
    commitSha: result.newBase,
  });
  await publishIssueEvent(c.env, repo.id, number, { type: 'pull.merged', commit: result.newBase });
  emitMergePush(c, repo, actor.userId, {
    name: `refs/heads/${pull.baseBranch}`,
    oldOid: result.oldBase,
    newOid: result.newBase,
  });
  // Gitea announces a merge as the pull request's `closed` with `merged: true`.
  emitPullEvent(c, repo, number, 'closed');
  const merged = await loadPull(c.env, repo, number);
  if (!merged) throw notFound('pull request not found');
  return c.json(pullJson(requestOrigin(c), repo, merged));
});
