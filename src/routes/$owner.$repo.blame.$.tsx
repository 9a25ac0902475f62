import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { BlamePage } from '../ui/repo/pages/BlamePage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/blame/$')({
  loader: ({ params }) =>
    loadView(
      { owner: params.owner, repo: params.repo, view: { page: 'blame', splat: params._splat ?? '' } },
      'blame',
    ),
  head: ({ params }) => repoHead(`Blame ${params._splat ?? ''} · ${params.owner}/${params.repo}`),
  component: BlameRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function BlameRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <BlamePage viewer={viewer} repo={repo} data={data} />;
}
