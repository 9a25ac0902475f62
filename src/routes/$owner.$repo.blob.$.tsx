import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { BlobPage } from '../ui/repo/pages/BlobPage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/blob/$')({
  loader: ({ params }) =>
    loadView(
      { owner: params.owner, repo: params.repo, view: { page: 'blob', splat: params._splat ?? '' } },
      'blob',
    ),
  head: ({ params }) => repoHead(`${params._splat ?? ''} · ${params.owner}/${params.repo}`),
  component: BlobRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function BlobRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <BlobPage viewer={viewer} repo={repo} data={data} />;
}
