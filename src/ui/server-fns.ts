// Server functions the pages load their data with. They run in the Worker, authenticate the page
// request like every other door, and return plain JSON-able values.

import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import { scopeCeiling } from '../auth/access';
import { type Actor, authenticatePage } from '../auth/authenticate';
import { isOrg } from '../db/orgs';
import { listOwnerRepos, listUserRepos, type RepoRecord } from '../db/repos';
import { findUserByName } from '../db/users';
import { loadOrgView, type OrgView } from './orgs/load-org';

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
    const none = { viewer, user: null, org: null, repos: [] as RepoSummary[] };
    if (!user) return none;
    // An organization is shown as one, or not at all to those it hides from.
    let org: OrgView | null = null;
    if (await isOrg(env.DB, user.id)) {
      org = await loadOrgView(env.DB, user.id, actor);
      if (!org) return none;
    }
    const viewerId = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
    return {
      viewer,
      user: { login: user.login, fullName: user.fullName, createdAt: user.createdAt },
      org,
      repos: (await listOwnerRepos(env.DB, user.id, viewerId)).map(summary),
    };
  });
