// Server functions of the organization pages.
import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import { authenticatePage } from '../../auth/authenticate';
import { hasScope } from '../../auth/scopes';
import { listCreatableOrgNames } from '../../db/orgs';

/** The owners the viewer may create a repository for: themselves first, then organizations. */
export const getRepoOwners = createServerFn({ method: 'GET' }).handler(async (): Promise<string[]> => {
  const actor = await authenticatePage(getRequest(), env);
  if (!actor) return [];
  const orgs = hasScope(actor.scopes, 'read', 'organization')
    ? await listCreatableOrgNames(env.DB, actor.userId)
    : [];
  return [actor.username, ...orgs];
});
