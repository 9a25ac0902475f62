/**
 * Server side of the repository settings page: the one permission decision (`repoPermission`,
 * `can`) gates it, and anyone short of admin sees the same 404 as for a missing repository.
 * Changes go through the REST API from the browser, so its validation applies unchanged.
 */
import { env } from 'cloudflare:workers';
import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import { authenticatePage } from '../../../auth/authenticate';
import { can, repoPermission } from '../../../auth/permission';
import { listCollaborators } from '../../../db/repos';
import { repoClient } from '../../../services/repo-client';
import type { SettingsResponse } from '../types';

export const loadSettings = createServerFn({ method: 'GET' })
  .validator((input: { owner: string; repo: string }) => input)
  .handler(async ({ data }): Promise<SettingsResponse> => {
    const actor = await authenticatePage(getRequest(), env);
    const viewer = actor ? { username: actor.username } : null;
    const found = await repoPermission(env, actor, data.owner, data.repo);
    if (!found || !can(found.permission, 'admin')) return { status: 'not-found', viewer };
    const { repo } = found;
    const [refs, collaborators] = await Promise.all([
      repoClient(env, repo).browse({ kind: 'refs' }),
      listCollaborators(env.DB, repo.id),
    ]);
    const branches = refs.kind === 'refs' ? refs.branches.map((b) => b.name) : [];
    const origin = new URL(getRequest().url).origin;
    return {
      status: 'ok',
      viewer,
      repo: {
        owner: repo.owner,
        name: repo.name,
        description: repo.description,
        private: repo.private,
        defaultBranch: refs.kind === 'refs' ? refs.defaultBranch : repo.defaultBranch,
        cloneUrl: `${origin}/${repo.owner}/${repo.name}.git`,
        empty: branches.length === 0,
        canAdmin: true,
      },
      branches,
      collaborators: collaborators.map((c) => ({
        login: c.login,
        fullName: c.fullName,
        permission: c.permission,
      })),
    };
  });
