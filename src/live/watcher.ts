// Who watches a live channel, and whether they still may: the credential that opened the socket
// must still hold, and the one permission decision must still let its actor read the repository.
import { repoPermissionById } from '../auth/permission';
import { actorNow, type CredentialRef } from '../auth/recheck';

/** Kept with each socket (its attachment), so it survives the object's hibernation. */
export interface Watcher {
  issue: number;
  repoId: number;
  credential: CredentialRef;
}

export type WatchVerdict = 'allowed' | 'denied' | 'unknown';

export async function mayStillWatch(env: Env, watcher: Watcher): Promise<WatchVerdict> {
  try {
    const actor = await actorNow(env, watcher.credential);
    if (actor === 'revoked') return 'denied';
    return (await repoPermissionById(env, actor, watcher.repoId)) ? 'allowed' : 'denied';
  } catch (err) {
    // The database did not answer: keep the socket, but send it nothing until a check succeeds.
    console.warn('live: access check failed', err);
    return 'unknown';
  }
}

export function isWatcher(value: unknown): value is Watcher {
  const w = value as Partial<Watcher> | null;
  return (
    typeof w?.issue === 'number' &&
    typeof w.repoId === 'number' &&
    typeof w.credential === 'object' &&
    w.credential !== null
  );
}
