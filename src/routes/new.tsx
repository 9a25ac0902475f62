import { createFileRoute, redirect } from '@tanstack/react-router';
import { NewRepoPage } from '../ui/account/pages/NewRepoPage';
import { pageHead } from '../ui/Layout';
import { getRepoOwners } from '../ui/orgs/server-fns';
import { getViewer } from '../ui/server-fns';

export const Route = createFileRoute('/new')({
  loader: async () => {
    const viewer = await getViewer();
    if (!viewer) throw redirect({ to: '/login' });
    return { viewer, owners: await getRepoOwners() };
  },
  head: () => pageHead('New repository'),
  component: NewRepoRoute,
});

function NewRepoRoute() {
  const { viewer, owners } = Route.useLoaderData();
  return <NewRepoPage viewer={viewer} owners={owners} />;
}
