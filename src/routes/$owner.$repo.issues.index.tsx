import { createFileRoute } from '@tanstack/react-router';
import { IssueListPage } from '../ui/issues/pages/IssueListPage';
import { filterFromSearch, fullFilter, issuesHead, loadIssueView } from '../ui/issues/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/issues/')({
  validateSearch: filterFromSearch,
  loaderDeps: ({ search }) => fullFilter(search),
  loader: ({ params, deps }) =>
    loadIssueView({ owner: params.owner, repo: params.repo, view: { page: 'list', filter: deps } }, 'list'),
  head: ({ params }) => issuesHead(`Issues · ${params.owner}/${params.repo}`),
  component: IssuesRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function IssuesRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <IssueListPage viewer={viewer} repo={repo} data={data} />;
}
