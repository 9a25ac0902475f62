import { createFileRoute } from '@tanstack/react-router';
import { PullListPage } from '../ui/pulls/pages/PullListPage';
import { loadPullView, pullsHead } from '../ui/pulls/route-helpers';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';

type State = 'open' | 'closed' | 'all';

export const Route = createFileRoute('/$owner/$repo/pulls')({
  // The key set even to undefined: the raw query's value would otherwise show through.
  validateSearch: (search: Record<string, unknown>): { state?: State } => ({
    state: search.state === 'closed' || search.state === 'all' ? search.state : undefined,
  }),
  loaderDeps: ({ search }) => ({ state: search.state ?? 'open' }),
  loader: ({ params, deps }) =>
    loadPullView(
      { owner: params.owner, repo: params.repo, view: { page: 'list', state: deps.state } },
      'list',
    ),
  head: ({ params }) => pullsHead(`Pull requests · ${params.owner}/${params.repo}`),
  component: PullsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function PullsRoute() {
  const { viewer, repo, data } = Route.useLoaderData();
  return <PullListPage viewer={viewer} repo={repo} data={data} />;
}
