/** What the pull-request routes share: loading through the server function, 404s, CSS. */
import { notFound } from '@tanstack/react-router';
import { pageOrThrow, repoHead } from '../repo/route-helpers';
import type { RepoView } from '../repo/server/view-types';
import type { Viewer } from '../server-fns';
import css from './pulls.css?url';
import { loadPullPage } from './server/load';
import type { PullPageData, PullPageInput, PullTab } from './types';

export interface LoadedPullPage<P extends PullPageData['page']> {
  readonly viewer: Viewer | null;
  readonly repo: RepoView;
  readonly canWrite: boolean;
  readonly data: Extract<PullPageData, { page: P }>;
}

export async function loadPullView<P extends PullPageData['page']>(
  input: PullPageInput,
  page: P,
): Promise<LoadedPullPage<P>> {
  const res = pageOrThrow(await loadPullPage({ data: input }));
  if (res.data.page !== page) throw notFound();
  return {
    viewer: res.viewer,
    repo: res.repo,
    canWrite: res.canWrite,
    data: res.data as Extract<PullPageData, { page: P }>,
  };
}

export function pullsHead(title: string) {
  const head = repoHead(title);
  return { ...head, links: [...head.links, { rel: 'stylesheet', href: css }] };
}

/** A pull request number from the URL, or null. */
export function pullNumberParam(value: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : null;
}

/** The loader of the three tabs of one pull request. */
export function loadPullTab(params: { owner: string; repo: string; number: string }, tab: PullTab) {
  const number = pullNumberParam(params.number);
  if (number === null) throw notFound();
  return loadPullView(
    { owner: params.owner, repo: params.repo, view: { page: 'pull', number, tab } },
    'pull',
  );
}

/** The head of the three tabs: the pull request's title once loaded. */
export function pullTabHead(
  params: { owner: string; repo: string; number: string },
  loaded: LoadedPullPage<'pull'> | undefined,
) {
  const title = loaded ? `${loaded.data.pull.title} · ` : '';
  return pullsHead(`${title}Pull request #${params.number} · ${params.owner}/${params.repo}`);
}
