/** `/settings`: the signed-in account's profile, password and two-factor authentication. */
import { Page } from '../../Layout';
import type { Viewer } from '../../server-fns';
import { PasswordChange } from '../components/PasswordChange';
import { ProfileSettings } from '../components/ProfileSettings';
import { TwoFactor } from '../components/TwoFactor';
import type { AccountDetails } from '../types';

export function AccountSettingsPage({ viewer, account }: { viewer: Viewer; account: AccountDetails }) {
  return (
    <Page viewer={viewer} narrow>
      <h1>Account settings</h1>
      <p>
        {account.fullName} · {account.email} · <a href="/settings/tokens">Access tokens</a>
      </p>
      <ProfileSettings account={account} />
      <PasswordChange />
      <TwoFactor enabled={account.twoFactorEnabled} />
    </Page>
  );
}
