import { createFileRoute } from '@tanstack/react-router';
import { SignUpPage } from '../ui/account/pages/SignUpPage';
import { getViewer } from '../ui/server-fns';

export const Route = createFileRoute('/signup')({
  loader: () => getViewer(),
  component: SignUpRoute,
});

function SignUpRoute() {
  return <SignUpPage viewer={Route.useLoaderData()} />;
}
