import { createFileRoute } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/repo/components/RepoLayout';
import { pageOrThrow, repoHead } from '../ui/repo/route-helpers';
import { SettingsPage } from '../ui/settings/SettingsPage';
import { loadSettings } from '../ui/settings/server/load';
import css from '../ui/settings/settings.css?url';

export const Route = createFileRoute('/$owner/$repo/settings')({
  loader: async ({ params }) =>
    pageOrThrow(await loadSettings({ data: { owner: params.owner, repo: params.repo } })),
  head: ({ params }) => {
    const h = repoHead(`Settings · ${params.owner}/${params.repo}`);
    return { ...h, links: [...h.links, { rel: 'stylesheet', href: css }] };
  },
  component: SettingsRoute,
  notFoundComponent: () => <NotFoundPage />,
});

function SettingsRoute() {
  const { viewer, repo, branches, collaborators } = Route.useLoaderData();
  return <SettingsPage viewer={viewer} repo={repo} branches={branches} collaborators={collaborators} />;
}
