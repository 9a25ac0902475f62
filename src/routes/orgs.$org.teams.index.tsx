import { createFileRoute, notFound } from '@tanstack/react-router';
import { pageHead } from '../ui/Layout';
import { getOrgTeams } from '../ui/orgs/server-fns';
import { TeamsPage } from '../ui/orgs/TeamsPage';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

export const Route = createFileRoute('/orgs/$org/teams/')({
  loader: async ({ params }) => {
    const data = await getOrgTeams({ data: params.org });
    if (!data.org) throw notFound();
    return { viewer: data.viewer, org: data.org };
  },
  head: ({ loaderData }) => pageHead(loaderData ? `Teams · ${loaderData.org.login}` : 'Not found'),
  component: TeamsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function TeamsRoute() {
  const { viewer, org } = Route.useLoaderData();
  return <TeamsPage viewer={viewer} org={org} />;
}
