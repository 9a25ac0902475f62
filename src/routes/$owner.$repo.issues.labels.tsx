import { createFileRoute } from '@tanstack/react-router';
import { LabelsPage } from '../ui/issues/pages/LabelsPage';
import { issuesHead, loadIssueView } from '../ui/issues/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/issues/labels')({
  loader: ({ params }) =>
    loadIssueView({ owner: params.owner, repo: params.repo, view: { page: 'labels' } }, 'labels'),
  head: ({ params }) => issuesHead(`Labels · ${params.owner}/${params.repo}`),
  component: LabelsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function LabelsRoute() {
  const { viewer, repo, canWrite, data } = Route.useLoaderData();
  return <LabelsPage viewer={viewer} repo={repo} canWrite={canWrite} data={data} />;
}
