import { createFileRoute } from '@tanstack/react-router';
import { LoginPage } from '../ui/account/pages/LoginPage';
import { getSignInOptions } from '../ui/account/server/load';

export const Route = createFileRoute('/login')({
  loader: () => getSignInOptions(),
  component: LoginRoute,
});

function LoginRoute() {
  const { viewer, providers } = Route.useLoaderData();
  return <LoginPage viewer={viewer} providers={providers} />;
}
