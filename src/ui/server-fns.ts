// Server functions the pages load their data with. They run in the Worker, authenticate the page
// request like every other door, and return plain JSON-able values.

import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import { scopeCeiling } from '../auth/access';
import { type Actor, authenticatePage } from '../auth/authenticate';
import { oauthProviders, readAuthConfig } from '../auth/config';
import { hasScope, mayManageTokens } from '../auth/scopes';
import { listOwnerRepos, listUserRepos, type RepoRecord } from '../db/repos';
import { listTokens } from '../db/tokens';
import { findUserById, findUserByName } from '../db/users';

export interface Viewer {
  username: string;
}

export interface RepoSummary {
  owner: string;
  name: string;
  description: string;
  private: boolean;
  updatedAt: string;
}

const summary = (r: RepoRecord): RepoSummary => ({
  owner: r.owner,
  name: r.name,
  description: r.description,
  private: r.private,
  updatedAt: r.updatedAt,
});

export const getViewer = createServerFn({ method: 'GET' }).handler(async (): Promise<Viewer | null> => {
  const actor = await authenticatePage(getRequest(), env);
  return actor ? { username: actor.username } : null;
});

/** Whether the viewer's credential may see this repository of theirs (as the API decides: a
 * token without repository scope sees what an anonymous visitor sees). */
function scopeAllows(actor: Actor, repo: RepoRecord): boolean {
  return !repo.private || scopeCeiling(actor.scopes) !== 'none';
}

export const getHome = createServerFn({ method: 'GET' }).handler(async () => {
  const actor = await authenticatePage(getRequest(), env);
  if (!actor) return { viewer: null, repos: [] as RepoSummary[] };
  const repos = await listUserRepos(env.DB, actor.userId);
  return {
    viewer: { username: actor.username },
    repos: repos.filter((r) => scopeAllows(actor, r)).map(summary),
  };
});

export const getProfile = createServerFn({ method: 'GET' })
  .validator((owner: string) => owner)
  .handler(async ({ data: owner }) => {
    const actor = await authenticatePage(getRequest(), env);
    const viewer = actor ? { username: actor.username } : null;
    const user = await findUserByName(env.DB, owner);
    if (!user) return { viewer, user: null, repos: [] as RepoSummary[] };
    const viewerId = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
    return {
      viewer,
      user: { login: user.login, fullName: user.fullName, createdAt: user.createdAt },
      repos: (await listOwnerRepos(env.DB, user.id, viewerId)).map(summary),
    };
  });

export const getTokensPage = createServerFn({ method: 'GET' }).handler(async () => {
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

export const getAccountPage = createServerFn({ method: 'GET' }).handler(async () => {
  const actor = await authenticatePage(getRequest(), env);
  if (!actor) return { viewer: null, account: null };
  // As GET /api/v1/user: the account's details need the user scope.
  if (!hasScope(actor.scopes, 'read', 'user')) return { viewer: { username: actor.username }, account: null };
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
});

export const getSignInOptions = createServerFn({ method: 'GET' }).handler(async () => {
  const actor = await authenticatePage(getRequest(), env);
  return {
    viewer: actor ? { username: actor.username } : null,
    providers: oauthProviders(readAuthConfig(env)),
  };
});
