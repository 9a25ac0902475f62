import { createFileRoute } from '@tanstack/react-router';
import { ReleasePage } from '../ui/releases/pages/ReleasesPage';
import { loadReleaseView, releasesHead } from '../ui/releases/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { splatOf } from '../ui/repo/urls';

export const Route = createFileRoute('/$owner/$repo/releases/tag/$')({
  loader: ({ params }) =>
    loadReleaseView(
      { owner: params.owner, repo: params.repo, view: { page: 'release', tag: splatOf(params) } },
      'release',
    ),
  head: ({ params }) => releasesHead(`Release ${splatOf(params)} · ${params.owner}/${params.repo}`),
  component: ReleaseRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function ReleaseRoute() {
  const { viewer, repo, canWrite, data } = Route.useLoaderData();
  return <ReleasePage viewer={viewer} repo={repo} canWrite={canWrite} data={data} />;
}
