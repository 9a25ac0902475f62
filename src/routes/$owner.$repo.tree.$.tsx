import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { TreePage } from '../ui/repo/pages/TreePage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/tree/$')({
  loader: ({ params }) =>
    loadView(
      { owner: params.owner, repo: params.repo, view: { page: 'tree', splat: params._splat ?? '' } },
      'tree',
    ),
  head: ({ params }) => repoHead(`${params._splat ?? ''} · ${params.owner}/${params.repo}`),
  component: TreeRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function TreeRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <TreePage viewer={viewer} repo={repo} data={data} />;
}
