/**
 * Server side of the issue pages: in the frame of `loadRepoPage` (caller, permission, 404,
 * repository view), reads D1 and renders markdown to safe HTML on the server.
 */
import { env } from 'cloudflare:workers';
import { can } from '../../../auth/access';
import type { Actor } from '../../../auth/authenticate';
import { listComments } from '../../../db/comments';
import { getIssueByNumber, type IssueRecord, listIssues } from '../../../db/issues';
import { findLabelsByNames, type LabelRecord, listLabels } from '../../../db/labels';
import type { RepoRecord } from '../../../db/repos';
import { findUserByName } from '../../../db/users';
import { renderIssueMarkdown } from '../../../services/markdown/issue-markdown';
import { pageNumber } from '../../../services/paging';
import { loadRepoPage, pageNotFound, pageRedirect } from '../../repo/server/load-page';
import { repoUrl } from '../../repo/urls';
import type {
  IssueListFilter,
  IssuePageData,
  IssuePageInput,
  IssuePageResponse,
  IssueSummary,
  LiveLabel,
} from '../types';

const PER_PAGE = 25;
/** Comments shown on one issue page (the API pages through more). */
const COMMENTS_MAX = 500;

const labelView = (l: LabelRecord): LiveLabel => ({ id: l.id, name: l.name, color: l.color });

function summary(i: IssueRecord): IssueSummary {
  return {
    number: i.number,
    title: i.title,
    state: i.state,
    isPull: i.isPull,
    author: i.author,
    labels: i.labels.map(labelView),
    assignees: i.assignees.map((a) => a.login),
    milestone: i.milestone && { id: i.milestone.id, title: i.milestone.title },
    commentCount: i.commentCount,
    createdAt: i.createdAt,
    closedAt: i.closedAt,
  };
}

async function listData(repo: RepoRecord, filter: IssueListFilter): Promise<IssuePageData> {
  const db = env.DB;
  const labels = (await listLabels(db, repo.id)).map(labelView);
  const base = { page: 'list' as const, filter, labels, perPage: PER_PAGE };
  const nothing = { ...base, issues: [], total: 0, openCount: 0, closedCount: 0 };
  // A filter naming a label or user that does not exist matches nothing.
  const criteria: { labelIds?: number[]; authorId?: number; assigneeId?: number } = {};
  if (filter.label) {
    const found = await findLabelsByNames(db, repo.id, [filter.label]);
    if (found.length === 0) return nothing;
    criteria.labelIds = [found[0].id];
  }
  for (const [login, key] of [
    [filter.author, 'authorId'],
    [filter.assignee, 'assigneeId'],
  ] as const) {
    if (!login) continue;
    const user = await findUserByName(db, login);
    if (!user) return nothing;
    criteria[key] = user.id;
  }
  const common = { ...criteria, isPull: false };
  const [page, open, closed] = await Promise.all([
    listIssues(db, repo.id, {
      ...common,
      state: filter.state,
      limit: PER_PAGE,
      offset: (pageNumber(filter.page) - 1) * PER_PAGE,
    }),
    listIssues(db, repo.id, { ...common, state: 'open', limit: 1, offset: 0 }),
    listIssues(db, repo.id, { ...common, state: 'closed', limit: 1, offset: 0 }),
  ]);
  return {
    ...base,
    issues: page.issues.map(summary),
    total: page.total,
    openCount: open.total,
    closedCount: closed.total,
  };
}

async function issueData(
  repo: RepoRecord,
  issue: IssueRecord,
  actor: Actor | null,
  canWrite: boolean,
): Promise<IssuePageData> {
  const db = env.DB;
  const [comments, labels] = await Promise.all([
    listComments(db, issue.id, { limit: COMMENTS_MAX, offset: 0 }),
    listLabels(db, repo.id),
  ]);
  const [bodyHtml, ...commentHtml] = await renderIssueMarkdown(db, repo, [
    issue.body,
    ...comments.map((c) => c.body),
  ]);
  return {
    page: 'issue',
    issue: { ...summary(issue), body: issue.body, bodyHtml, updatedAt: issue.updatedAt },
    comments: comments.map((c, i) => ({
      id: c.id,
      author: c.author,
      body: c.body,
      bodyHtml: commentHtml[i],
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    })),
    labels: labels.map(labelView),
    canEdit: canWrite || (actor !== null && issue.authorId === actor.userId),
  };
}

async function labelsData(repo: RepoRecord): Promise<IssuePageData> {
  const labels = await listLabels(env.DB, repo.id);
  const counts = await Promise.all(
    labels.map((l) => listIssues(env.DB, repo.id, { state: 'open', labelIds: [l.id], limit: 1, offset: 0 })),
  );
  return {
    page: 'labels',
    labels: labels.map((l, i) => ({
      ...labelView(l),
      description: l.description,
      openCount: counts[i].total,
    })),
  };
}

async function pageData(
  repo: RepoRecord,
  view: IssuePageInput['view'],
  actor: Actor | null,
  canWrite: boolean,
): Promise<IssuePageData> {
  switch (view.page) {
    case 'list':
      return listData(repo, view.filter);
    case 'issue': {
      const issue = await getIssueByNumber(env.DB, repo.id, view.number);
      if (!issue) throw pageNotFound('issue not found');
      if (issue.isPull) throw pageRedirect(`${repoUrl(repo)}/pull/${issue.number}`);
      return issueData(repo, issue, actor, canWrite);
    }
    case 'new':
      return { page: 'new', labels: (await listLabels(env.DB, repo.id)).map(labelView) };
    case 'labels':
      return labelsData(repo);
  }
}

export function buildIssuePage(input: IssuePageInput): Promise<IssuePageResponse> {
  return loadRepoPage(input, async ({ repo, actor, permission }) => {
    const canWrite = can(permission, 'write');
    return { canWrite, data: await pageData(repo, input.view, actor, canWrite) };
  });
}
