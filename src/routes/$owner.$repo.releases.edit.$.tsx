import { createFileRoute } from '@tanstack/react-router';
import { ReleaseFormPage } from '../ui/releases/pages/ReleaseFormPage';
import { loadReleaseView, releasesHead } from '../ui/releases/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { splatOf } from '../ui/repo/urls';

export const Route = createFileRoute('/$owner/$repo/releases/edit/$')({
  loader: ({ params }) =>
    loadReleaseView(
      { owner: params.owner, repo: params.repo, view: { page: 'edit', tag: splatOf(params) } },
      'edit',
    ),
  head: ({ params }) => releasesHead(`Edit release ${splatOf(params)} · ${params.owner}/${params.repo}`),
  component: EditReleaseRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function EditReleaseRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <ReleaseFormPage viewer={viewer} repo={repo} data={data} />;
}
