/**
 * Server side of the repository settings page: the frame of `loadRepoPage` with admin needed, so
 * anyone short of admin sees the same 404 as for a missing repository. Changes go through the
 * REST API from the browser, so its validation applies unchanged.
 */
import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { listCollaborators } from '../../../db/repos';
import { repoClient } from '../../../services/repo-client';
import { loadRepoPage } from '../../repo/server/load-page';
import type { SettingsResponse } from '../types';

export const loadSettings = createServerFn({ method: 'GET' })
  .validator((input: { owner: string; repo: string }) => input)
  .handler(
    ({ data }): Promise<SettingsResponse> =>
      loadRepoPage(
        data,
        async ({ repo }) => {
          const [refs, collaborators] = await Promise.all([
            repoClient(env, repo).browse({ kind: 'refs' }),
            listCollaborators(env.DB, repo.id),
          ]);
          return {
            branches: refs.kind === 'refs' ? refs.branches.map((b) => b.name) : [],
            collaborators: collaborators.map((c) => ({
              login: c.login,
              fullName: c.fullName,
              permission: c.permission,
            })),
          };
        },
        { need: 'admin' },
      ),
  );
