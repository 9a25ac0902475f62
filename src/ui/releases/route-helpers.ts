/** What the release routes share: loading through the server function, 404s, CSS. */
import { notFound } from '@tanstack/react-router';
import { issuesHead } from '../issues/route-helpers';
import { pageOrThrow } from '../repo/route-helpers';
import type { RepoView } from '../repo/server/view-types';
import type { Viewer } from '../server-fns';
import css from './releases.css?url';
import { loadReleasePage } from './server/load';
import type { ReleasePageData, ReleasePageInput } from './types';

export interface LoadedReleasePage<P extends ReleasePageData['page']> {
  readonly viewer: Viewer | null;
  readonly repo: RepoView;
  readonly canWrite: boolean;
  readonly data: Extract<ReleasePageData, { page: P }>;
}

export async function loadReleaseView<P extends ReleasePageData['page']>(
  input: ReleasePageInput,
  page: P,
): Promise<LoadedReleasePage<P>> {
  const res = pageOrThrow(await loadReleasePage({ data: input }));
  if (res.data.page !== page) throw notFound();
  return {
    viewer: res.viewer,
    repo: res.repo,
    canWrite: res.canWrite,
    data: res.data as Extract<ReleasePageData, { page: P }>,
  };
}

/** The issue pages' styles (forms, markdown) and the release pages' own. */
export function releasesHead(title: string) {
  const head = issuesHead(title);
  return { ...head, links: [...head.links, { rel: 'stylesheet', href: css }] };
}
