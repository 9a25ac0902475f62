// Repository JSON with everything it carries besides the metadata row: HEAD from the repository's
// object, the settings and the open counts from D1, the caller's permission.
import type { Permission } from '../auth/access';
import { permissionFor } from '../auth/permission';
import { findRepoCounts } from '../db/repo-counts';
import { findRepoSettings } from '../db/repo-settings';
import type { RepoRecord } from '../db/repos';
import { repoClient } from '../services/repo-client';
import { type ApiContext, currentActor, requestOrigin } from './context';
import { repoJson } from './format';

/** One repository's JSON for a caller whose permission is known. */
export async function repoJsonFor(c: ApiContext, repo: RepoRecord, permission: Permission) {
  const [summary, settings, counts] = await Promise.all([
    repoClient(c.env, repo).summary(),
    findRepoSettings(c.env.DB, [repo.id]),
    findRepoCounts(c.env.DB, [repo.id]),
  ]);
  return repoJson(requestOrigin(c), repo, {
    ...summary,
    permission,
    settings: settings.get(repo.id)!,
    counts: counts.get(repo.id),
  });
}

/** Repository JSON for a list, with the caller's permission on each. */
export async function repoListJson(c: ApiContext, repos: RepoRecord[]) {
  const actor = currentActor(c);
  const origin = requestOrigin(c);
  const ids = repos.map((r) => r.id);
  const [settings, counts] = await Promise.all([
    findRepoSettings(c.env.DB, ids),
    findRepoCounts(c.env.DB, ids),
  ]);
  return Promise.all(
    repos.map(async (r) =>
      repoJson(origin, r, {
        ...(await repoClient(c.env, r).summary()),
        permission: await permissionFor(c.env, actor, r),
        settings: settings.get(r.id)!,
        counts: counts.get(r.id),
      }),
    ),
  );
}
