import { createFileRoute } from '@tanstack/react-router';
import { Page, RepoList } from '../ui/Layout';
import { getHome } from '../ui/server-fns';

export const Route = createFileRoute('/')({
  loader: () => getHome(),
  component: Home,
});

function Home() {
  const { viewer, repos } = Route.useLoaderData();
  return (
    <Page viewer={viewer}>
      <h1>Gitflare</h1>
      {viewer ? (
        <>
          <p>
            Signed in as <a href={`/${encodeURIComponent(viewer.username)}`}>{viewer.username}</a>.{' '}
            <a href="/new">New repository</a> · <a href="/settings/tokens">Access tokens</a>
          </p>
          <h2>Your repositories</h2>
          <RepoList
            repos={repos}
            empty={
              <>
                No repositories yet. <a href="/new">Create one</a>.
              </>
            }
          />
        </>
      ) : (
        <>
          <p>Git hosting on Cloudflare.</p>
          <p>
            <a href="/signup">Create an account</a> or <a href="/login">sign in</a>.
          </p>
        </>
      )}
    </Page>
  );
}
