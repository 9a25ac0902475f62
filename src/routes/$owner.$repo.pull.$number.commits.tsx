import { createFileRoute } from '@tanstack/react-router';
import { PullTabPage } from '../ui/pulls/pages/PullPage';
import { loadPullTab, pullTabHead } from '../ui/pulls/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/pull/$number/commits')({
  loader: ({ params }) => loadPullTab(params, 'commits'),
  head: ({ params, loaderData }) => pullTabHead(params, loaderData),
  component: PullCommitsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function PullCommitsRoute() {
  return <PullTabPage {...Route.useLoaderData()} />;
}
