import { createFileRoute, redirect } from '@tanstack/react-router';
import { TokensPage } from '../ui/account/pages/TokensPage';
import { getTokensPage } from '../ui/account/server/load';
import { pageHead } from '../ui/Layout';

export const Route = createFileRoute('/settings/tokens')({
  loader: async () => {
    const data = await getTokensPage();
    if (!data.viewer) throw redirect({ to: '/login' });
    return { viewer: data.viewer, tokens: data.tokens };
  },
  head: () => pageHead('Access tokens'),
  component: TokensRoute,
});

function TokensRoute() {
  const { viewer, tokens } = Route.useLoaderData();
  return <TokensPage viewer={viewer} tokens={tokens} />;
}
