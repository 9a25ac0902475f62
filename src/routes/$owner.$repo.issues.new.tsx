import { createFileRoute } from '@tanstack/react-router';
import { NewIssuePage } from '../ui/issues/pages/NewIssuePage';
import { issuesHead, loadIssueView } from '../ui/issues/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/issues/new')({
  loader: ({ params }) =>
    loadIssueView({ owner: params.owner, repo: params.repo, view: { page: 'new' } }, 'new'),
  head: ({ params }) => issuesHead(`New issue · ${params.owner}/${params.repo}`),
  component: NewIssueRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function NewIssueRoute() {
  const { viewer, repo } = Route.useLoaderData();
  return <NewIssuePage viewer={viewer} repo={repo} />;
}
