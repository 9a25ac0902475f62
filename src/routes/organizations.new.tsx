import { createFileRoute, redirect } from '@tanstack/react-router';
import { pageHead } from '../ui/Layout';
import { NewOrgPage } from '../ui/orgs/NewOrgPage';
import { getViewer } from '../ui/server-fns';

export const Route = createFileRoute('/organizations/new')({
  loader: async () => {
    const viewer = await getViewer();
    if (!viewer) throw redirect({ to: '/login' });
    return viewer;
  },
  head: () => pageHead('New organization'),
  component: NewOrgRoute,
});

function NewOrgRoute() {
  return <NewOrgPage viewer={Route.useLoaderData()} />;
}
