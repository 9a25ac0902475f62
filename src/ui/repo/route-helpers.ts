/** What the repository routes share: loading through the server function, 404s, redirects, CSS. */
import { notFound, redirect } from '@tanstack/react-router';
import { pageHead } from '../Layout';
import type { Viewer } from '../server-fns';
import { repoBusy } from './busy';
import css from './repo.css?url';
import { loadRepoView } from './server/load';
import type { PageData, RepoPageOk, RepoPageResponse, RepoView, ViewInput } from './server/view-types';

export interface LoadedView<P extends PageData['page']> {
  readonly viewer: Viewer | null;
  readonly repo: RepoView;
  readonly data: Extract<PageData, { page: P }>;
}

/** A repository page's data once its server function answered: its 404 and its redirects become
 * the router's, a busy repository's refusal its error (shown by the router's error component). */
export function pageOrThrow<T>(res: RepoPageResponse<T>): RepoPageOk<T> {
  if (res.status === 'not-found') throw notFound();
  if (res.status === 'busy') throw repoBusy(res.message);
  if (res.status === 'redirect') throw redirect({ href: res.to });
  return res;
}

export async function loadView<P extends PageData['page']>(
  input: ViewInput,
  page: P,
): Promise<LoadedView<P>> {
  const res = pageOrThrow(await loadRepoView({ data: input }));
  if (res.data.page === 'redirect') throw redirect({ href: res.data.to });
  if (res.data.page !== page) throw notFound();
  return { viewer: res.viewer, repo: res.repo, data: res.data as Extract<PageData, { page: P }> };
}

/** Head tags of a repository page: its title and the repository stylesheet. */
export function repoHead(title: string) {
  return {
    ...pageHead(title),
    links: [{ rel: 'stylesheet', href: css }],
  };
}
