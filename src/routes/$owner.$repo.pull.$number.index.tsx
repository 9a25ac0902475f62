import { createFileRoute } from '@tanstack/react-router';
import { PullTabPage } from '../ui/pulls/pages/PullPage';
import { loadPullTab, pullTabHead } from '../ui/pulls/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/pull/$number/')({
  loader: ({ params }) => loadPullTab(params, 'conversation'),
  head: ({ params, loaderData }) => pullTabHead(params, loaderData),
  component: PullConversationRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function PullConversationRoute() {
  return <PullTabPage {...Route.useLoaderData()} />;
}
