import { createFileRoute } from '@tanstack/react-router';
import { pageNumber } from '../services/paging';
import { ReleasesPage } from '../ui/releases/pages/ReleasesPage';
import { loadReleaseView, releasesHead } from '../ui/releases/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/releases/')({
  // Every key set, even to undefined: the raw query's value would otherwise show through.
  validateSearch: (search: Record<string, unknown>): { page?: number } => {
    const n = pageNumber(search.page);
    return { page: n > 1 ? n : undefined };
  },
  loaderDeps: ({ search }) => ({ page: search.page ?? 1 }),
  loader: ({ params, deps }) =>
    loadReleaseView(
      { owner: params.owner, repo: params.repo, view: { page: 'list', pageNo: deps.page } },
      'list',
    ),
  head: ({ params }) => releasesHead(`Releases · ${params.owner}/${params.repo}`),
  component: ReleasesRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function ReleasesRoute() {
  const { viewer, repo, canWrite, data } = Route.useLoaderData();
  return <ReleasesPage viewer={viewer} repo={repo} canWrite={canWrite} data={data} />;
}
