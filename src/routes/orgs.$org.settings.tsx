import { createFileRoute, notFound } from '@tanstack/react-router';
import { pageHead } from '../ui/Layout';
import { OrgSettingsPage } from '../ui/orgs/OrgSettingsPage';
import { getOrgSettings } from '../ui/orgs/server-fns';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

// Under /orgs/ (a reserved name), as GitHub puts them: /{owner}/settings is a repository's home.
export const Route = createFileRoute('/orgs/$org/settings')({
  loader: async ({ params }) => {
    const data = await getOrgSettings({ data: params.org });
    if (!data.org) throw notFound();
    return { viewer: data.viewer, org: data.org };
  },
  head: ({ loaderData }) => pageHead(loaderData ? `Settings · ${loaderData.org.login}` : 'Not found'),
  component: OrgSettingsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function OrgSettingsRoute() {
  const { viewer, org } = Route.useLoaderData();
  return <OrgSettingsPage viewer={viewer} org={org} />;
}
