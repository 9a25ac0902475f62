import { createFileRoute, redirect } from '@tanstack/react-router';
import { NewRepoPage } from '../ui/account/pages/NewRepoPage';
import { getViewer } from '../ui/server-fns';

export const Route = createFileRoute('/new')({
  loader: async () => {
    const viewer = await getViewer();
    if (!viewer) throw redirect({ to: '/login' });
    return viewer;
  },
  component: NewRepoRoute,
});

function NewRepoRoute() {
  return <NewRepoPage viewer={Route.useLoaderData()} />;
}
