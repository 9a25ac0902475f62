import { createFileRoute } from '@tanstack/react-router';
import { PullPage } from '../ui/pulls/pages/PullPage';
import { loadPullTab, pullsHead } from '../ui/pulls/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/pull/$number/commits')({
  loader: ({ params }) => loadPullTab(params, 'commits'),
  head: ({ params, loaderData }) =>
    pullsHead(
      `${loaderData ? `${loaderData.data.pull.title} · ` : ''}Pull request #${params.number} · ${params.owner}/${params.repo}`,
    ),
  component: PullCommitsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function PullCommitsRoute() {
  const { viewer, repo, canWrite, data } = Route.useLoaderData();
  return (
    <PullPage
      key={`${data.pull.number}-${data.tab}`}
      viewer={viewer}
      repo={repo}
      canWrite={canWrite}
      data={data}
    />
  );
}
