import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { ComparePage } from '../ui/repo/pages/ComparePage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/compare/$')({
  loader: ({ params }) =>
    loadView(
      { owner: params.owner, repo: params.repo, view: { page: 'compare', spec: params._splat ?? '' } },
      'compare',
    ),
  head: ({ params }) => repoHead(`Compare ${params._splat ?? ''} · ${params.owner}/${params.repo}`),
  component: CompareRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function CompareRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <ComparePage viewer={viewer} repo={repo} data={data} />;
}
