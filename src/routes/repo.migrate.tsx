import { createFileRoute, redirect } from '@tanstack/react-router';
import { pageHead } from '../ui/Layout';
import { NewMigrationPage } from '../ui/migrate/NewMigrationPage';
import { getRepoOwners } from '../ui/orgs/server-fns';
import { getViewer } from '../ui/server-fns';

export const Route = createFileRoute('/repo/migrate')({
  loader: async () => {
    const viewer = await getViewer();
    if (!viewer) throw redirect({ to: '/login' });
    return { viewer, owners: await getRepoOwners() };
  },
  head: () => pageHead('New migration'),
  component: MigrateRoute,
});

function MigrateRoute() {
  const { viewer, owners } = Route.useLoaderData();
  return <NewMigrationPage viewer={viewer} owners={owners} />;
}
