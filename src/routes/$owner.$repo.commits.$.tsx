import { createFileRoute } from '@tanstack/react-router';
import { pageNumber } from '../services/paging';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { CommitsPage } from '../ui/repo/pages/CommitsPage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/commits/$')({
  // Every key set, even to undefined: the raw query's value would otherwise show through.
  validateSearch: (search: Record<string, unknown>): { page?: number } => {
    const n = pageNumber(search.page);
    return { page: n > 1 ? n : undefined };
  },
  loaderDeps: ({ search }) => ({ page: search.page ?? 1 }),
  loader: ({ params, deps }) =>
    loadView(
      {
        owner: params.owner,
        repo: params.repo,
        view: { page: 'commits', splat: params._splat ?? '', pageNo: deps.page },
      },
      'commits',
    ),
  head: ({ params }) => repoHead(`Commits · ${params.owner}/${params.repo}`),
  component: CommitsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function CommitsRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <CommitsPage viewer={viewer} repo={repo} data={data} />;
}
