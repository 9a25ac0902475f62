// Data of the pull-request pages, shared by the server function and the pages (plain JSON).
import type { FileDiff } from '../../git/browse/file-diff';
import type { CommitSummary } from '../../git/browse/request';
import type { RepoPageResponse } from '../repo/server/view-types';

export type PullTab = 'conversation' | 'files' | 'commits';

export type PullPageInput =
  | { owner: string; repo: string; view: { page: 'list'; state: 'open' | 'closed' | 'all' } }
  | { owner: string; repo: string; view: { page: 'pull'; number: number; tab: PullTab } };

export interface PullSummary {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  author: string | null;
  headBranch: string;
  baseBranch: string;
  createdAt: string;
}

export interface PullDetail extends PullSummary {
  bodyHtml: string;
  headSha: string;
  baseSha: string;
  mergeable: string;
  /** Why mergeability is unknown, when it is. */
  mergeableReason: string | null;
  conflicts: string[];
  headDeleted: boolean;
  baseDeleted: boolean;
  mergedBy: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergeStyle: string | null;
}

export interface PullComment {
  id: number;
  author: string | null;
  bodyHtml: string;
  createdAt: string;
}

/** A status context's latest state on the head commit. */
export interface PullCheck {
  context: string;
  state: string;
  description: string;
  targetUrl: string;
}

export interface PullReviewItem {
  id: number;
  reviewer: string | null;
  state: 'APPROVED' | 'REQUEST_CHANGES' | 'COMMENT';
  body: string;
  stale: boolean;
  dismissed: boolean;
  createdAt: string;
  comments: { path: string; newPosition: number; body: string }[];
}

/** The pull request against its base branch's protection rule. */
export interface PullGate {
  checks: PullCheck[];
  /** The combined state of the checks (null: none). */
  combined: string | null;
  reviews: PullReviewItem[];
  /** Why the rule refuses the merge now, else null; `rule` is null when no rule covers the base. */
  blocked: string | null;
  rule: string | null;
}

export type PullPageData =
  | { page: 'list'; state: 'open' | 'closed' | 'all'; pulls: PullSummary[]; total: number }
  | {
      page: 'pull';
      tab: PullTab;
      pull: PullDetail;
      comments: PullComment[];
      gate: PullGate | null;
      /** A merge scheduled for when the checks pass (auto-merge), if any. */
      autoMerge: { by: string | null; style: string } | null;
      commits: CommitSummary[];
      files: FileDiff[];
      filesTruncated: boolean;
    };

export type PullPageResponse = RepoPageResponse<{ readonly canWrite: boolean; readonly data: PullPageData }>;
