/** What the issue pages ask the server for, and the data each gets back. */
import type { LiveComment, LiveLabel } from '../../live/events';
import type { RepoPageResponse } from '../repo/server/view-types';

export type { LiveComment, LiveLabel };

export interface IssueListFilter {
  readonly state: 'open' | 'closed' | 'all';
  /** A label name ('' for any). */
  readonly label: string;
  /** Author login ('' for anyone). */
  readonly author: string;
  /** Assignee login ('' for anyone). */
  readonly assignee: string;
  readonly page: number;
}

export type IssuePageRequest =
  | { readonly page: 'list'; readonly filter: IssueListFilter }
  | { readonly page: 'issue'; readonly number: number }
  | { readonly page: 'new' }
  | { readonly page: 'labels' };

export interface IssuePageInput {
  readonly owner: string;
  readonly repo: string;
  readonly view: IssuePageRequest;
}

export interface IssueSummary {
  readonly number: number;
  readonly title: string;
  readonly state: 'open' | 'closed';
  readonly isPull: boolean;
  readonly author: string | null;
  readonly labels: LiveLabel[];
  readonly assignees: string[];
  readonly milestone: { readonly id: number; readonly title: string } | null;
  readonly commentCount: number;
  readonly createdAt: string;
  readonly closedAt: string | null;
}

export interface IssueDetail extends IssueSummary {
  readonly body: string;
  readonly bodyHtml: string;
  readonly updatedAt: string;
}

export type IssuePageData =
  | {
      readonly page: 'list';
      readonly filter: IssueListFilter;
      readonly issues: IssueSummary[];
      readonly total: number;
      readonly openCount: number;
      readonly closedCount: number;
      readonly perPage: number;
      readonly labels: LiveLabel[];
    }
  | {
      readonly page: 'issue';
      readonly issue: IssueDetail;
      readonly comments: LiveComment[];
      readonly labels: LiveLabel[];
      /** The viewer wrote the issue or may write to the repository. */
      readonly canEdit: boolean;
    }
  | { readonly page: 'new'; readonly labels: LiveLabel[] }
  | { readonly page: 'labels'; readonly labels: (LiveLabel & { description: string; openCount: number })[] };

export type IssuePageResponse = RepoPageResponse<{
  /** The viewer may write to the repository (labels, assignees, others' issues). */
  readonly canWrite: boolean;
  readonly data: IssuePageData;
}>;
