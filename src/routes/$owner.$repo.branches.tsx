import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { RefsPage } from '../ui/repo/pages/RefsPage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/branches')({
  loader: ({ params }) =>
    loadView({ owner: params.owner, repo: params.repo, view: { page: 'branches' } }, 'branches'),
  head: ({ params }) => repoHead(`Branches · ${params.owner}/${params.repo}`),
  component: BranchesRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function BranchesRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <RefsPage viewer={viewer} repo={repo} data={data} />;
}
