// Server functions of the organization pages.
import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import { authenticatePage } from '../../auth/authenticate';
import { hasScope } from '../../auth/scopes';
import { findOrgByName, listCreatableOrgNames } from '../../db/orgs';
import { loadOrgView } from './load-org';
import { loadOrgSettings, loadTeam } from './load-org-admin';

/** The owners the viewer may create a repository for: themselves first, then organizations. */
export const getRepoOwners = createServerFn({ method: 'GET' }).handler(async (): Promise<string[]> => {
  const actor = await authenticatePage(getRequest(), env);
  if (!actor) return [];
  const orgs = hasScope(actor.scopes, 'read', 'organization')
    ? await listCreatableOrgNames(env.DB, actor.userId)
    : [];
  return [actor.username, ...orgs];
});

/** The organization's settings page: its owners only (null: 404 to everyone else). */
export const getOrgSettings = createServerFn({ method: 'GET' })
  .validator((org: string) => org)
  .handler(async ({ data: org }) => {
    const actor = await authenticatePage(getRequest(), env);
    return {
      viewer: actor ? { username: actor.username } : null,
      org: await loadOrgSettings(env.DB, org, actor),
    };
  });

/** A team's page: members of its organization only (null: 404 to everyone else). */
export const getTeamPage = createServerFn({ method: 'GET' })
  .validator((d: { org: string; team: string }) => d)
  .handler(async ({ data }) => {
    const actor = await authenticatePage(getRequest(), env);
    return {
      viewer: actor ? { username: actor.username } : null,
      team: await loadTeam(env.DB, data.org, data.team, actor),
    };
  });

/** The organization's teams: its members only (null: 404 to everyone else). */
export const getOrgTeams = createServerFn({ method: 'GET' })
  .validator((org: string) => org)
  .handler(async ({ data: name }) => {
    const actor = await authenticatePage(getRequest(), env);
    const org = await findOrgByName(env.DB, name);
    const view = org ? await loadOrgView(env.DB, org.id, actor) : null;
    return {
      viewer: actor ? { username: actor.username } : null,
      org: org && view?.teams ? { login: org.login, owner: view.owner, teams: view.teams } : null,
    };
  });
