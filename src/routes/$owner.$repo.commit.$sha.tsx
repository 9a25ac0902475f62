import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { CommitPage } from '../ui/repo/pages/CommitPage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

export const Route = createFileRoute('/$owner/$repo/commit/$sha')({
  loader: ({ params }) =>
    loadView({ owner: params.owner, repo: params.repo, view: { page: 'commit', sha: params.sha } }, 'commit'),
  head: ({ params }) => repoHead(`Commit ${params.sha.slice(0, 7)} · ${params.owner}/${params.repo}`),
  component: CommitRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function CommitRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <CommitPage viewer={viewer} repo={repo} data={data} />;
}
