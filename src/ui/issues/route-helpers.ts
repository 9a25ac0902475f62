/** What the issue routes share: loading through the server function, 404s, redirects, CSS. */
import { notFound } from '@tanstack/react-router';
import { pageNumber } from '../../services/paging';
import { pageOrThrow, repoHead } from '../repo/route-helpers';
import type { RepoView } from '../repo/server/view-types';
import type { Viewer } from '../server-fns';
import css from './issues.css?url';
import { loadIssuePage } from './server/load';
import type { IssueListFilter, IssuePageData, IssuePageInput } from './types';

export interface LoadedIssuePage<P extends IssuePageData['page']> {
  readonly viewer: Viewer | null;
  readonly repo: RepoView;
  readonly canWrite: boolean;
  readonly data: Extract<IssuePageData, { page: P }>;
}

export async function loadIssueView<P extends IssuePageData['page']>(
  input: IssuePageInput,
  page: P,
): Promise<LoadedIssuePage<P>> {
  const res = pageOrThrow(await loadIssuePage({ data: input }));
  if (res.data.page !== page) throw notFound();
  return {
    viewer: res.viewer,
    repo: res.repo,
    canWrite: res.canWrite,
    data: res.data as Extract<IssuePageData, { page: P }>,
  };
}

export function issuesHead(title: string) {
  const head = repoHead(title);
  return { ...head, links: [...head.links, { rel: 'stylesheet', href: css }] };
}

/** The list filter from the URL's query string, with defaults for what is missing or odd. */
export function filterFromSearch(search: Record<string, unknown>): Partial<IssueListFilter> {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 100) : undefined);
  const page = pageNumber(search.page);
  // Every key set, even to undefined: the raw query's value (`?page=abc`) would otherwise show
  // through to the loader.
  return {
    state: search.state === 'closed' || search.state === 'all' ? search.state : undefined,
    label: str(search.label),
    author: str(search.author),
    assignee: str(search.assignee),
    page: page > 1 ? page : undefined,
  };
}

export function fullFilter(f: Partial<IssueListFilter>): IssueListFilter {
  return {
    state: f.state ?? 'open',
    label: f.label ?? '',
    author: f.author ?? '',
    assignee: f.assignee ?? '',
    page: f.page ?? 1,
  };
}

/** A positive issue number from the path, or null. */
export function issueNumberParam(s: string): number | null {
  return /^[1-9][0-9]{0,8}$/.test(s) ? Number(s) : null;
}
