import { createFileRoute, notFound } from '@tanstack/react-router';
import { Page, RepoList } from '../ui/Layout';
import { getProfile } from '../ui/server-fns';

export const Route = createFileRoute('/$owner/')({
  loader: async ({ params }) => {
    const data = await getProfile({ data: params.owner });
    if (!data.user) throw notFound();
    return data;
  },
  component: Profile,
  notFoundComponent: () => (
    <main className="gf-main">
      <h1>Not found</h1>
      <p>There is no such user.</p>
    </main>
  ),
});

function Profile() {
  const { viewer, user, repos } = Route.useLoaderData();
  if (!user) return null;
  return (
    <Page viewer={viewer} title={user.login}>
      <h1>{user.login}</h1>
      {user.fullName && user.fullName !== user.login ? <p className="gf-note">{user.fullName}</p> : null}
      <h2>Repositories</h2>
      <RepoList repos={repos} empty="No repositories to show." />
    </Page>
  );
}
