// The one way changes reach the browsers watching an issue or pull request.
import type { LiveEvent } from './events';

export function liveStub(env: Env, repoId: number) {
  return env.LIVE.get(env.LIVE.idFromName(`repo:${repoId}`));
}

/**
 * Publishes an event to the watchers of issue `number` of the repository. Live updates are a
 * convenience on top of the stored change, so a failure is logged, never thrown: the caller's
 * change has already happened and must still be reported as done.
 */
export async function publishIssueEvent(
  env: Env,
  repoId: number,
  number: number,
  event: LiveEvent,
): Promise<void> {
  try {
    await liveStub(env, repoId).publish(number, event);
  } catch (err) {
    console.error('live: publish failed', err);
  }
}
