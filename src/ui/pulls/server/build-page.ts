/**
 * Server side of the pull-request pages: in the frame of `loadRepoPage` (caller, permission, 404,
 * repository view), loads the pull request (refreshed from its branches, as the API does) and, for the
 * files and commits tabs, the comparison of its base and head from the repository.
 */
import { env } from 'cloudflare:workers';
import { can } from '../../../auth/access';
import { findAutoMerge } from '../../../db/auto-merge';
import { listComments } from '../../../db/comments';
import { getPullByNumber, listPulls, type PullRecord } from '../../../db/pulls';
import { findRepoById, type RepoRecord } from '../../../db/repos';
import { combineStates, refuseMerge } from '../../../git/protect/rules';
import { renderIssueMarkdown } from '../../../services/markdown/issue-markdown';
import { isDismissed, pullFacts } from '../../../services/protection';
import { headLabelOf } from '../../../services/pull-head';
import { type PullView, refreshPull } from '../../../services/pull-state';
import { repoClient } from '../../../services/repo-client';
import { loadRepoPage, pageAdmissionWait, pageNotFound, pageRefused } from '../../repo/server/load-page';
import type {
  PullDetail,
  PullGate,
  PullPageData,
  PullPageInput,
  PullPageResponse,
  PullSummary,
} from '../types';

const PER_PAGE = 50;
const COMMENTS_MAX = 500;

function summary(p: PullRecord): PullSummary {
  return {
    number: p.issue.number,
    title: p.issue.title,
    state: p.issue.state,
    merged: p.merged,
    author: p.issue.author,
    headBranch: p.headBranch,
    baseBranch: p.baseBranch,
    createdAt: p.issue.createdAt,
  };
}

function detail(p: PullView, bodyHtml: string): PullDetail {
  return {
    ...summary(p),
    // A fork's branch reads `forkowner:branch`, as on GitHub.
    headBranch: p.headLabel ?? p.headBranch,
    bodyHtml,
    headSha: p.headSha,
    baseSha: p.baseSha,
    mergeable: p.mergeable,
    mergeableReason: p.mergeableReason,
    conflicts: p.conflicts,
    headDeleted: p.headDeleted,
    baseDeleted: p.baseDeleted,
    mergedBy: p.mergedBy,
    mergedAt: p.mergedAt,
    mergeCommitSha: p.mergeCommitSha,
    mergeStyle: p.mergeStyle,
  };
}

async function pullData(repo: RepoRecord, view: PullPageInput['view']): Promise<PullPageData> {
  if (view.page === 'list') {
    const { pulls, total } = await listPulls(env.DB, repo.id, {
      state: view.state,
      limit: PER_PAGE,
      offset: 0,
    });
    // A fork's branch reads `forkowner:branch` here too (one read per fork listed).
    const forkOwners = new Map<number, string | null>();
    for (const id of new Set(pulls.map((p) => p.headRepoId))) {
      if (id !== null) forkOwners.set(id, (await findRepoById(env.DB, id))?.owner ?? null);
    }
    const listed = pulls.map((p) => ({
      ...summary(p),
      headBranch: headLabelOf(p, p.headRepoId === null ? null : (forkOwners.get(p.headRepoId) ?? null)),
    }));
    return { page: 'list', state: view.state, pulls: listed, total };
  }
  const stored = await getPullByNumber(env.DB, repo.id, view.number);
  if (!stored) throw pageNotFound('pull request not found');
  const pull = await refreshPull(env, repo, stored);
  const tab = view.tab;
  const comments =
    tab === 'conversation'
      ? await listComments(env.DB, pull.issue.id, { limit: COMMENTS_MAX, offset: 0 })
      : [];
  const html = await renderIssueMarkdown(env.DB, repo, [pull.issue.body, ...comments.map((c) => c.body)]);
  let commits: Extract<PullPageData, { page: 'pull' }>['commits'] = [];
  let files: Extract<PullPageData, { page: 'pull' }>['files'] = [];
  let filesTruncated = false;
  if (tab !== 'conversation') {
    const compare = { kind: 'compare', base: pull.baseSha, head: pull.headSha } as const;
    const r = await repoClient(env, repo).browse(compare, pageAdmissionWait());
    // A busy repository is said (503), not shown as a pull request without changes.
    if (r.kind === 'error' && r.code === 'BUSY') throw pageRefused(r.code, r.message);
    if (r.kind === 'compare') {
      commits = r.commits;
      files = tab === 'files' ? r.files : [];
      filesTruncated = r.filesTruncated;
    }
  }
  return {
    page: 'pull',
    tab,
    // The files tab shows the reviews' line comments under their lines.
    gate: tab === 'conversation' || tab === 'files' ? await gate(repo, pull) : null,
    autoMerge: await scheduledMerge(pull),
    pull: detail(pull, html[0] ?? ''),
    comments: comments.map((c, i) => ({
      id: c.id,
      author: c.author,
      bodyHtml: html[i + 1] ?? '',
      createdAt: c.createdAt,
    })),
    commits,
    files,
    filesTruncated,
  };
}

async function scheduledMerge(pull: PullView): Promise<{ by: string | null; style: string } | null> {
  if (pull.merged || pull.issue.state !== 'open') return null;
  const a = await findAutoMerge(env.DB, pull.issue.id);
  return a && { by: a.doer, style: a.style };
}

/** Statuses, reviews and the base branch rule's verdict, for the conversation tab. */
async function gate(repo: RepoRecord, pull: PullView): Promise<PullGate> {
  const p = await pullFacts(env.DB, repo.id, { issueId: pull.issue.id, ...pull });
  return {
    checks: p.statuses.map((s) => ({
      context: s.context,
      state: s.state,
      description: s.description,
      targetUrl: s.targetUrl,
    })),
    combined: combineStates(p.statuses.map((s) => s.state)),
    reviews: p.reviews.map((r) => ({
      id: r.id,
      reviewer: r.reviewer,
      state: r.state,
      body: r.body,
      stale: r.commitId !== pull.headSha,
      dismissed: isDismissed(r, pull.headSha, p.rule),
      createdAt: r.createdAt,
      comments: r.comments,
    })),
    blocked: p.rule ? (refuseMerge(p.rule, p.facts) ?? null) : null,
    rule: p.rule?.ruleName ?? null,
  };
}

export function buildPullPage(input: PullPageInput): Promise<PullPageResponse> {
  return loadRepoPage(input, async ({ repo, permission }) => ({
    canWrite: can(permission, 'write'),
    data: await pullData(repo, input.view),
  }));
}
