import { createFileRoute, notFound } from '@tanstack/react-router';
import { IssuePage } from '../ui/issues/pages/IssuePage';
import { issueNumberParam, issuesHead, loadIssueView } from '../ui/issues/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/issues/$number')({
  loader: ({ params }) => {
    const number = issueNumberParam(params.number);
    if (number === null) throw notFound();
    return loadIssueView(
      { owner: params.owner, repo: params.repo, view: { page: 'issue', number } },
      'issue',
    );
  },
  head: ({ params, loaderData }) =>
    issuesHead(
      loaderData
        ? `${loaderData.data.issue.title} · Issue #${params.number} · ${params.owner}/${params.repo}`
        : `Issue #${params.number} · ${params.owner}/${params.repo}`,
    ),
  component: IssueRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function IssueRoute() {
  const { viewer, repo, canWrite, data } = Route.useLoaderData();
  // Keyed by number so that moving to another issue starts a fresh page (state, socket).
  return <IssuePage key={data.issue.number} viewer={viewer} repo={repo} canWrite={canWrite} data={data} />;
}
