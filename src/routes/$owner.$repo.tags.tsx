import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { RefsPage } from '../ui/repo/pages/RefsPage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/tags')({
  loader: ({ params }) =>
    loadView({ owner: params.owner, repo: params.repo, view: { page: 'tags' } }, 'tags'),
  head: ({ params }) => repoHead(`Tags · ${params.owner}/${params.repo}`),
  component: TagsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function TagsRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <RefsPage viewer={viewer} repo={repo} data={data} />;
}
