import { createFileRoute, notFound } from '@tanstack/react-router';
import { OrgSettingsPage } from '../ui/orgs/OrgSettingsPage';
import { getOrgSettings } from '../ui/orgs/server-fns';

export const Route = createFileRoute('/$owner/settings')({
  loader: async ({ params }) => {
    const data = await getOrgSettings({ data: params.owner });
    if (!data.org) throw notFound();
    return { viewer: data.viewer, org: data.org };
  },
  component: OrgSettingsRoute,
  notFoundComponent: () => (
    <main className="gf-main">
      <h1>Not found</h1>
      <p>There is no such page.</p>
    </main>
  ),
});

function OrgSettingsRoute() {
  const { viewer, org } = Route.useLoaderData();
  return <OrgSettingsPage viewer={viewer} org={org} />;
}
