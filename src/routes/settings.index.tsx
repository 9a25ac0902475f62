import { createFileRoute, redirect } from '@tanstack/react-router';
import { AccountSettingsPage } from '../ui/account/pages/AccountSettingsPage';
import { getAccountPage } from '../ui/account/server/load';
import { pageHead } from '../ui/Layout';

export const Route = createFileRoute('/settings/')({
  loader: async () => {
    const data = await getAccountPage();
    if (!data.viewer || !data.account) throw redirect({ to: '/login' });
    return { viewer: data.viewer, account: data.account };
  },
  head: () => pageHead('Settings'),
  component: AccountSettingsRoute,
});

function AccountSettingsRoute() {
  const { viewer, account } = Route.useLoaderData();
  return <AccountSettingsPage viewer={viewer} account={account} />;
}
