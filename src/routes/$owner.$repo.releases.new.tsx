import { createFileRoute } from '@tanstack/react-router';
import { ReleaseFormPage } from '../ui/releases/pages/ReleaseFormPage';
import { loadReleaseView, releasesHead } from '../ui/releases/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/$owner/$repo/releases/new')({
  loader: ({ params }) =>
    loadReleaseView({ owner: params.owner, repo: params.repo, view: { page: 'new' } }, 'new'),
  head: ({ params }) => releasesHead(`New release · ${params.owner}/${params.repo}`),
  component: NewReleaseRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function NewReleaseRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <ReleaseFormPage viewer={viewer} repo={repo} data={data} />;
}
