import { createFileRoute, notFound } from '@tanstack/react-router';
import { pageHead } from '../ui/Layout';
import { getTeamPage } from '../ui/orgs/server-fns';
import { TeamPage } from '../ui/orgs/TeamPage';

export const Route = createFileRoute('/orgs/$org/teams/$team')({
  loader: async ({ params }) => {
    const data = await getTeamPage({ data: { org: params.org, team: params.team } });
    if (!data.team) throw notFound();
    return { viewer: data.viewer, team: data.team };
  },
  head: ({ loaderData }) =>
    pageHead(loaderData ? `${loaderData.team.name} · ${loaderData.team.org}` : 'Not found'),
  component: TeamRoute,
  notFoundComponent: () => (
    <main className="gf-main">
      <h1>Not found</h1>
      <p>There is no such team.</p>
    </main>
  ),
});

function TeamRoute() {
  const { viewer, team } = Route.useLoaderData();
  return <TeamPage viewer={viewer} team={team} />;
}
