import { createFileRoute, notFound } from '@tanstack/react-router';
import { Page, pageHead, RepoList } from '../ui/Layout';
import { OrgHeader, OrgPeopleAndTeams } from '../ui/orgs/OrgSections';
import { getProfile } from '../ui/server-fns';

export const Route = createFileRoute('/$owner/')({
  loader: async ({ params }) => {
    const data = await getProfile({ data: params.owner });
    if (!data.user) throw notFound();
    return data;
  },
  head: ({ loaderData }) => pageHead(loaderData?.user?.login ?? 'Not found'),
  component: Profile,
  notFoundComponent: () => (
    <main className="gf-main">
      <h1>Not found</h1>
      <p>There is no such user or organization.</p>
    </main>
  ),
});

function Profile() {
  const { viewer, user, org, repos } = Route.useLoaderData();
  if (!user) return null;
  return (
    <Page viewer={viewer}>
      <h1>{user.login}</h1>
      {user.fullName && user.fullName !== user.login ? <p className="gf-note">{user.fullName}</p> : null}
      {org ? <OrgHeader login={user.login} org={org} /> : null}
      <h2>Repositories</h2>
      <RepoList repos={repos} empty="No repositories to show." />
      {org ? <OrgPeopleAndTeams login={user.login} org={org} /> : null}
    </Page>
  );
}
