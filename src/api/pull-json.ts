// JSON shape of a pull request (Gitea's field names, as GitHub's).
import type { RepoRecord } from '../db/repos';
import type { PullView } from '../services/pull-state';
import { issueJson } from './issue-json';
import type { PullRequest } from './schemas/pull';

export function pullJson(origin: string, repo: RepoRecord, p: PullView): PullRequest {
  const issue = issueJson(origin, repo, p.issue);
  const repoRef = {
    id: repo.id,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: { login: repo.owner },
  };
  const apiBase = `${origin}/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  return {
    id: issue.id,
    number: issue.number,
    url: `${apiBase}/pulls/${issue.number}`,
    html_url: issue.html_url,
    diff_url: `${apiBase}/pulls/${issue.number}.diff`,
    user: issue.user,
    title: issue.title,
    body: issue.body,
    labels: issue.labels,
    milestone: issue.milestone,
    assignees: issue.assignees,
    state: issue.state,
    comments: issue.comments,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    // null while unknown (GitHub's convention); a merged pull request is not mergeable again.
    mergeable:
      !p.merged &&
      p.issue.state === 'open' &&
      !p.headDeleted &&
      !p.baseDeleted &&
      p.mergeable === 'mergeable',
    mergeable_state: p.merged ? 'merged' : p.headDeleted || p.baseDeleted ? 'branch_deleted' : p.mergeable,
    conflicting_files: p.conflicts,
    // Not Gitea's: why mergeable_state is 'unknown' (the check went past its bounds).
    mergeable_reason: p.mergeableReason,
    merged: p.merged,
    merged_at: p.mergedAt,
    merged_by: p.mergedBy === null ? null : { login: p.mergedBy, username: p.mergedBy },
    merge_commit_sha: p.mergeCommitSha,
    merge_style: p.mergeStyle,
    merge_base: p.mergeBase,
    head: {
      label: p.headLabel ?? p.headBranch,
      ref: p.headBranch,
      sha: p.headSha,
      repo:
        p.headRepoId === null
          ? repoRef
          : p.headRepo && {
              full_name: `${p.headRepo.owner}/${p.headRepo.name}`,
              name: p.headRepo.name,
              owner: { login: p.headRepo.owner },
            },
      deleted: p.headDeleted,
    },
    base: { label: p.baseBranch, ref: p.baseBranch, sha: p.baseSha, repo: repoRef, deleted: p.baseDeleted },
  };
}
