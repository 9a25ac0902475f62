import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { TreePage } from '../ui/repo/pages/TreePage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/')({
  loader: ({ params }) =>
    loadView({ owner: params.owner, repo: params.repo, view: { page: 'home' } }, 'home'),
  head: ({ params }) => repoHead(`${params.owner}/${params.repo}`),
  component: RepoHome,
  notFoundComponent: () => <NotFoundPage />,
});

function RepoHome() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <TreePage viewer={viewer} repo={repo} data={data} />;
}
