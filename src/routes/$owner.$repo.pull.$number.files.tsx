import { createFileRoute } from '@tanstack/react-router';
import { PullTabPage } from '../ui/pulls/pages/PullPage';
import { loadPullTab, pullTabHead } from '../ui/pulls/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/pull/$number/files')({
  loader: ({ params }) => loadPullTab(params, 'files'),
  head: ({ params, loaderData }) => pullTabHead(params, loaderData),
  component: PullFilesRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function PullFilesRoute() {
  return <PullTabPage {...Route.useLoaderData()} />;
}
