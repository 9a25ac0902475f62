/**
 * Server side of the pull-request pages: authenticates the page request, asks the one permission
 * function, loads the pull request (refreshed from its branches, as the API does) and, for the
 * files and commits tabs, the comparison of its base and head from the repository.
 */
import { env } from 'cloudflare:workers';
import { getRequest } from '@tanstack/react-start/server';
import { can } from '../../../auth/access';
import { authenticatePage } from '../../../auth/authenticate';
import { repoPermission } from '../../../auth/permission';
import { listComments } from '../../../db/comments';
import { getPullByNumber, listPulls, type PullRecord } from '../../../db/pulls';
import { renderIssueMarkdown } from '../../../services/markdown/issue-markdown';
import { type PullView, refreshPull } from '../../../services/pull-state';
import { repoClient } from '../../../services/repo-client';
import type { RepoView } from '../../repo/server/view-types';
import { repoUrl } from '../../repo/urls';
import type { PullDetail, PullPageData, PullPageInput, PullPageResponse, PullSummary } from '../types';

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

export async function buildPullPage(input: PullPageInput): Promise<PullPageResponse> {
  const request = getRequest();
  const actor = await authenticatePage(request, env);
  const found = await repoPermission(env, actor, input.owner, input.repo);
  if (!found) return { status: 'not-found' };
  const { repo, permission } = found;
  let data: PullPageData;
  if (input.view.page === 'list') {
    const { pulls, total } = await listPulls(env.DB, repo.id, {
      state: input.view.state,
      limit: PER_PAGE,
      offset: 0,
    });
    data = { page: 'list', state: input.view.state, pulls: pulls.map(summary), total };
  } else {
    const stored = await getPullByNumber(env.DB, repo.id, input.view.number);
    if (!stored) return { status: 'not-found' };
    const pull = await refreshPull(env, repo, stored);
    const tab = input.view.tab;
    const comments =
      tab === 'conversation'
        ? await listComments(env.DB, pull.issue.id, { limit: COMMENTS_MAX, offset: 0 })
        : [];
    const html = await renderIssueMarkdown(env.DB, repo, [pull.issue.body, ...comments.map((c) => c.body)]);
    let commits: Extract<PullPageData, { page: 'pull' }>['commits'] = [];
    let files: Extract<PullPageData, { page: 'pull' }>['files'] = [];
    let filesTruncated = false;
    if (tab !== 'conversation') {
      const r = await repoClient(env, repo).browse({
        kind: 'compare',
        base: pull.baseSha,
        head: pull.headSha,
      });
      if (r.kind === 'compare') {
        commits = r.commits;
        files = tab === 'files' ? r.files : [];
        filesTruncated = r.filesTruncated;
      }
    }
    data = {
      page: 'pull',
      tab,
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
  const state = await repoClient(env, repo).summary();
  const view: RepoView = {
    owner: repo.owner,
    name: repo.name,
    description: repo.description,
    private: repo.private,
    defaultBranch: state.defaultBranch,
    cloneUrl: `${new URL(request.url).origin}${repoUrl(repo)}.git`,
    empty: state.empty,
    canAdmin: can(permission, 'admin'),
  };
  return {
    status: 'ok',
    viewer: actor ? { username: actor.username } : null,
    repo: view,
    canWrite: can(permission, 'write'),
    data,
  };
}
