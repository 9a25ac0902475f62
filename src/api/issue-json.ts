// JSON shapes of issues, comments and labels (Gitea's field names).
import type { CommentRecord } from '../db/comments';
import type { IssueRecord } from '../db/issues';
import type { LabelRecord } from '../db/labels';
import type { MilestoneRecord } from '../db/milestones';
import type { RepoRecord } from '../db/repos';
import type { UserRef } from './schemas/common';
import type { Comment, Issue, Label, Milestone } from './schemas/issue';

/** Gitea shows a deleted account as this user. */
const GHOST = { id: -1, login: 'ghost', username: 'ghost' };

function userRef(id: number | null, login: string | null): UserRef {
  return id === null || login === null ? GHOST : { id, login, username: login };
}

const repoPath = (r: RepoRecord) => `${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`;

export function issueHtmlUrl(
  origin: string,
  repo: RepoRecord,
  issue: { number: number; isPull: boolean },
): string {
  return `${origin}/${repoPath(repo)}/${issue.isPull ? 'pull' : 'issues'}/${issue.number}`;
}

export function labelJson(origin: string, repo: RepoRecord, l: LabelRecord): Label {
  return {
    id: l.id,
    name: l.name,
    color: l.color,
    description: l.description,
    url: `${origin}/api/v1/repos/${repoPath(repo)}/labels/${l.id}`,
  };
}

export function milestoneJson(m: MilestoneRecord): Milestone {
  return {
    id: m.id,
    title: m.title,
    description: m.description,
    state: m.state,
    open_issues: m.openIssues,
    closed_issues: m.closedIssues,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    closed_at: m.closedAt,
    due_on: m.dueOn,
  };
}

export function issueJson(origin: string, repo: RepoRecord, i: IssueRecord): Issue {
  const htmlUrl = issueHtmlUrl(origin, repo, i);
  const assignees = i.assignees.map((a) => userRef(a.id, a.login));
  return {
    id: i.id,
    url: `${origin}/api/v1/repos/${repoPath(repo)}/issues/${i.number}`,
    html_url: htmlUrl,
    number: i.number,
    user: userRef(i.authorId, i.author),
    title: i.title,
    body: i.body,
    labels: i.labels.map((l) => labelJson(origin, repo, l)),
    milestone: i.milestone && milestoneJson(i.milestone),
    assignee: assignees[0] ?? null,
    assignees,
    state: i.state,
    is_locked: false,
    comments: i.commentCount,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    pull_request: i.isPull ? { html_url: htmlUrl } : null,
    repository: { id: repo.id, name: repo.name, owner: repo.owner, full_name: `${repo.owner}/${repo.name}` },
  };
}

export function commentJson(origin: string, repo: RepoRecord, c: CommentRecord, isPull: boolean): Comment {
  const issueUrl = `${origin}/api/v1/repos/${repoPath(repo)}/issues/${c.issueNumber}`;
  return {
    id: c.id,
    html_url: `${issueHtmlUrl(origin, repo, { number: c.issueNumber, isPull })}#issuecomment-${c.id}`,
    issue_url: issueUrl,
    pull_request_url: isPull ? issueHtmlUrl(origin, repo, { number: c.issueNumber, isPull }) : '',
    user: userRef(c.authorId, c.author),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}
