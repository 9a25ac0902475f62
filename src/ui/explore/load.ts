/**
 * Server side of /explore: repositories the viewer may read (public ones, and private ones they
 * own or collaborate on), most recently updated first, filtered by `q`.
 */
import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import { scopeCeiling } from '../../auth/access';
import { authenticatePage } from '../../auth/authenticate';
import { hasScope } from '../../auth/scopes';
import { listVisibleOrgs } from '../../db/orgs';
import { searchRepos } from '../../db/repos';
import type { RepoSummary, Viewer } from '../server-fns';

export const EXPLORE_PAGE_SIZE = 20;
const QUERY_MAX = 100;

export interface ExploreInput {
  readonly q: string;
  readonly page: number;
}

export interface ExploreResult {
  readonly viewer: Viewer | null;
  readonly q: string;
  readonly page: number;
  readonly repos: RepoSummary[];
  readonly hasNext: boolean;
  /** Organizations the viewer may see (first page of an unfiltered listing only). */
  readonly orgs: { login: string; description: string }[];
}

export const loadExplore = createServerFn({ method: 'GET' })
  .validator(
    (input: ExploreInput): ExploreInput => ({
      q: String(input.q ?? '').slice(0, QUERY_MAX),
      page: Number.isSafeInteger(input.page) && input.page > 0 ? Math.min(input.page, 10_000) : 1,
    }),
  )
  .handler(async ({ data }): Promise<ExploreResult> => {
    const actor = await authenticatePage(getRequest(), env);
    // A token without repository scope sees only what anonymous visitors see.
    const viewerId = actor && scopeCeiling(actor.scopes) !== 'none' ? actor.userId : null;
    // One extra row tells whether a next page exists without counting.
    const rows = await searchRepos(
      env.DB,
      data.q,
      viewerId,
      EXPLORE_PAGE_SIZE + 1,
      (data.page - 1) * EXPLORE_PAGE_SIZE,
    );
    return {
      viewer: actor ? { username: actor.username } : null,
      q: data.q,
      page: data.page,
      repos: rows.slice(0, EXPLORE_PAGE_SIZE).map((r) => ({
        owner: r.owner,
        name: r.name,
        description: r.description,
        private: r.private,
        updatedAt: r.updatedAt,
      })),
      hasNext: rows.length > EXPLORE_PAGE_SIZE,
      orgs:
        data.q === '' && data.page === 1
          ? (
              await listVisibleOrgs(
                env.DB,
                actor && hasScope(actor.scopes, 'read', 'organization') ? actor.userId : -1,
                EXPLORE_PAGE_SIZE,
                0,
              )
            ).map((o) => ({ login: o.login, description: o.description }))
          : [],
    };
  });
