/** Why a repository's git data may not be written (pushes, contents writes), or null. */
import { findMirror, type MirrorRecord } from '../db/mirrors';
import { findRepoSetting } from '../db/repo-settings';

/** Why pushes and contents writes are refused, or null (see readOnlyReasonOf). */
export async function readOnlyReason(env: Env, repoId: number): Promise<string | null> {
  const [m, settings] = await Promise.all([findMirror(env.DB, repoId), findRepoSetting(env.DB, repoId)]);
  return readOnlyReasonOf(settings.archived, m);
}

/**
 * An archived repository is read-only (Gitea's message), a pull mirror follows its source only,
 * a migration not done is not ready.
 */
export function readOnlyReasonOf(archived: boolean, m: MirrorRecord | null): string | null {
  if (archived)
    return 'This repository is archived. You can view files and clone it, but cannot push or open issues or pull requests.';
  if (!m) return null;
  if (m.mirror) return 'This repository is a pull mirror of another server and is read-only';
  if (m.status !== 'done')
    return 'This repository is being migrated (or its migration failed); it cannot be pushed to';
  return null;
}
