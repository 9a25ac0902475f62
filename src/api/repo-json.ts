// Repository JSON with everything it carries besides the metadata row: HEAD from the repository's
// object, the settings, the open counts and the mirror fields from D1, the caller's permission.
import type { Permission } from '../auth/access';
import { permissionFor } from '../auth/permission';
import { findMirrors, type MirrorRecord } from '../db/mirrors';
import { findRepoCounts } from '../db/repo-counts';
import { findRepoSettings } from '../db/repo-settings';
import type { RepoRecord } from '../db/repos';
import { formatMirrorInterval } from '../services/mirror-interval';
import { repoClient } from '../services/repo-client';
import { type ApiContext, currentActor, requestOrigin } from './context';
import { repoJson, ZERO_TIME } from './format';

/** The fields a migrated repository or mirror adds to its JSON (Gitea's names, and the migration's state). */
export function mirrorJson(m: MirrorRecord | null) {
  return {
    mirror: m?.mirror ?? false,
    mirror_interval: m?.mirror ? formatMirrorInterval(m.intervalSeconds) : '',
    // A time, as in Gitea: the zero time when never synced.
    mirror_updated: m?.lastSyncAt ?? ZERO_TIME,
    original_url: m?.cloneAddr ?? '',
    // null for a repository made here; 'running', 'failed' (see migration_error) or 'done'.
    migration_status: m?.status ?? null,
    migration_error: m?.error ?? null,
  };
}

/** One repository's JSON for a caller whose permission is known. */
export async function repoJsonFor(c: ApiContext, repo: RepoRecord, permission: Permission) {
  const [summary, settings, counts, mirrors] = await Promise.all([
    repoClient(c.env, repo).summary(),
    findRepoSettings(c.env.DB, [repo.id]),
    findRepoCounts(c.env.DB, [repo.id]),
    findMirrors(c.env.DB, [repo.id]),
  ]);
  return {
    ...repoJson(requestOrigin(c), repo, {
      ...summary,
      permission,
      settings: settings.get(repo.id)!,
      counts: counts.get(repo.id),
    }),
    ...mirrorJson(mirrors.get(repo.id) ?? null),
  };
}

/** Repository JSON for a list, with the caller's permission on each. */
export async function repoListJson(c: ApiContext, repos: RepoRecord[]) {
  const actor = currentActor(c);
  const origin = requestOrigin(c);
  const ids = repos.map((r) => r.id);
  const [settings, counts, mirrors] = await Promise.all([
    findRepoSettings(c.env.DB, ids),
    findRepoCounts(c.env.DB, ids),
    findMirrors(c.env.DB, ids),
  ]);
  return Promise.all(
    repos.map(async (r) => ({
      ...repoJson(origin, r, {
        ...(await repoClient(c.env, r).summary()),
        permission: await permissionFor(c.env, actor, r),
        settings: settings.get(r.id)!,
        counts: counts.get(r.id),
      }),
      ...mirrorJson(mirrors.get(r.id) ?? null),
    })),
  );
}
