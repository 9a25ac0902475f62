/**
 * Server functions of the account pages. They authenticate the page request like every other
 * door and honour a token's scopes as the API does: the account's details need the user scope,
 * and tokens are managed with a password or a session only.
 */
import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import { authenticatePage } from '../../../auth/authenticate';
import { oauthProviders, readAuthConfig } from '../../../auth/config';
import { hasScope, mayManageTokens } from '../../../auth/scopes';
import { listTokens } from '../../../db/tokens';
import { findUserById } from '../../../db/users';
import type { Viewer } from '../../server-fns';
import type { AccountDetails, SignInProvider, TokenSummary } from '../types';

/** `viewer` is null when nobody is signed in or the credential may not see the page: the route
 * then sends to sign-in. */
export interface TokensPageData {
  readonly viewer: Viewer | null;
  readonly tokens: TokenSummary[];
}

export interface AccountPageData {
  readonly viewer: Viewer | null;
  readonly account: AccountDetails | null;
}

export interface SignInData {
  readonly viewer: Viewer | null;
  readonly providers: SignInProvider[];
}

export const getTokensPage = createServerFn({ method: 'GET' }).handler(async (): Promise<TokensPageData> => {
  const actor = await authenticatePage(getRequest(), env);
  // As the API: tokens are managed with a password or a session (the page sends to sign-in).
  if (!actor || !mayManageTokens(actor.via)) return { viewer: null, tokens: [] };
  const tokens = (await listTokens(env.DB, actor.userId)).map((t) => ({
    id: t.id,
    name: t.name,
    lastEight: t.tokenLastEight,
    scopes: t.scopes,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
  }));
  return { viewer: { username: actor.username }, tokens };
});

export const getAccountPage = createServerFn({ method: 'GET' }).handler(
  async (): Promise<AccountPageData> => {
    const actor = await authenticatePage(getRequest(), env);
    if (!actor) return { viewer: null, account: null };
    // As GET /api/v1/user: the account's details need the user scope.
    if (!hasScope(actor.scopes, 'read', 'user'))
      return { viewer: { username: actor.username }, account: null };
    const user = await findUserById(env.DB, actor.userId);
    return {
      viewer: { username: actor.username },
      account: user
        ? {
            login: user.login,
            email: user.email,
            fullName: user.fullName,
            twoFactorEnabled: user.twoFactorEnabled,
            keepEmailPrivate: user.keepEmailPrivate,
          }
        : null,
    };
  },
);

export const getSignInOptions = createServerFn({ method: 'GET' }).handler(async (): Promise<SignInData> => {
  const actor = await authenticatePage(getRequest(), env);
  return {
    viewer: actor ? { username: actor.username } : null,
    providers: oauthProviders(readAuthConfig(env)),
  };
});
