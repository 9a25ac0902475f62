import { createFileRoute } from '@tanstack/react-router';
import { LoginPage } from '../ui/account/pages/LoginPage';
import { getSignInOptions } from '../ui/account/server/load';
import { pageHead } from '../ui/Layout';

export const Route = createFileRoute('/login')({
  loader: () => getSignInOptions(),
  head: () => pageHead('Sign in'),
  component: LoginRoute,
});

function LoginRoute() {
  const { viewer, providers } = Route.useLoaderData();
  return <LoginPage viewer={viewer} providers={providers} />;
}
