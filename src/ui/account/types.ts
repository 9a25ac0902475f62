/** What the account pages (sign-in, sign-up, settings, tokens, new repository) get from the server. */
import type { ProfileAccount } from './components/ProfileSettings';

export interface AccountDetails extends ProfileAccount {
  readonly email: string;
  readonly twoFactorEnabled: boolean;
}

/** A token as its owner sees it listed: never its secret, only its last eight characters. */
export interface TokenSummary {
  readonly id: number;
  readonly name: string;
  readonly lastEight: string;
  readonly scopes: string[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
}

/** A configured OAuth or OpenID Connect provider offered on the sign-in page. */
export interface SignInProvider {
  readonly id: string;
  readonly name: string;
  readonly kind: 'social' | 'generic';
}
