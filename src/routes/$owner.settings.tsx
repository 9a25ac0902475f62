import { createFileRoute } from '@tanstack/react-router';
import { OrgSettingsPage } from '../ui/orgs/OrgSettingsPage';
import { getOrgSettings } from '../ui/orgs/server-fns';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { TreePage } from '../ui/repo/pages/TreePage';
import { loadView, repoHead } from '../ui/repo/route-helpers';

// This path is also the home of a repository named "settings": anyone who is not an owner of an
// organization of that name gets that repository's home (or its 404).
export const Route = createFileRoute('/$owner/settings')({
  loader: async ({ params }) => {
    const data = await getOrgSettings({ data: params.owner });
    if (data.org) return { kind: 'org' as const, viewer: data.viewer, org: data.org };
    const repo = await loadView({ owner: params.owner, repo: 'settings', view: { page: 'home' } }, 'home');
    return { kind: 'repo' as const, ...repo };
  },
  // The repository stylesheet, for the repository's home.
  head: () => ({ links: repoHead('').links }),
  component: OrgSettingsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function OrgSettingsRoute() {
  const d = Route.useLoaderData();
  if (d.kind === 'repo') return <TreePage viewer={d.viewer} repo={d.repo} data={d.data} />;
  return <OrgSettingsPage viewer={d.viewer} org={d.org} />;
}
