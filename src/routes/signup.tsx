import { createFileRoute } from '@tanstack/react-router';
import { SignUpPage } from '../ui/account/pages/SignUpPage';
import { pageHead } from '../ui/Layout';
import { getViewer } from '../ui/server-fns';

export const Route = createFileRoute('/signup')({
  loader: () => getViewer(),
  head: () => pageHead('Sign up'),
  component: SignUpRoute,
});

function SignUpRoute() {
  return <SignUpPage viewer={Route.useLoaderData()} />;
}
