// `PATCH /repos/{owner}/{repo}` with Gitea's `mirror_interval`: a pull mirror's sync interval changed
// and its next sync moved to one interval from now (or none: 0 syncs only on demand).
import { findMirror, setMirrorInterval } from '../db/mirrors';
import type { RepoRecord } from '../db/repos';
import { repoClient } from '../services/repo-client';
import type { JsonObject } from './body';
import { invalid } from './errors';
import { intervalField } from './mirror-input';

/** Validates the field before anything is written; the returned step applies it. */
export async function mirrorIntervalChange(
  env: Env,
  repo: RepoRecord,
  body: JsonObject,
): Promise<() => Promise<void>> {
  if (body.mirror_interval === undefined) return async () => undefined;
  const seconds = intervalField(body, 'mirror_interval');
  const mirror = await findMirror(env.DB, repo.id);
  if (!mirror?.mirror) throw invalid('mirror_interval: the repository is not a mirror');
  return async () => {
    await setMirrorInterval(env.DB, repo.id, seconds);
    await repoClient(env, repo).scheduleMirrorSync(seconds);
  };
}
