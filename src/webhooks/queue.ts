// Queueing deliveries: which hooks want an event, and the rows the queue object then sends.

import { repoJson } from '../api/format';
import { findRepoSetting } from '../db/repo-settings';
import type { RepoRecord } from '../db/repos';
import { type HookRecord, insertDeliveries, listHooks, type NewDelivery } from '../db/webhooks';
import { repoClient } from '../services/repo-client';
import { DELIVERIES_KEPT, type HookEvent } from './config';
import { branchMatches } from './glob';

/** The repository's active hooks subscribed to `event` (and whose filter lets `branch` through). */
export async function hooksFor(
  db: D1Database,
  repoId: number,
  event: HookEvent,
  branch?: string,
): Promise<HookRecord[]> {
  return (await listHooks(db, repoId)).filter(
    (h) =>
      h.active && h.events.includes(event) && (branch === undefined || branchMatches(h.branchFilter, branch)),
  );
}

export function newDelivery(
  hook: HookRecord,
  event: HookEvent,
  action: string,
  payload: object,
): NewDelivery {
  return {
    hookId: hook.id,
    repoId: hook.repoId,
    guid: crypto.randomUUID(),
    event,
    action,
    payload: JSON.stringify(payload, null, 2),
    nextAttemptAt: Date.now(),
  };
}

/** Stores the deliveries and has the repository's queue object send them now. */
export async function queueDeliveries(env: Env, repoId: number, list: NewDelivery[]): Promise<void> {
  if (list.length === 0) return;
  await insertDeliveries(env.DB, list, DELIVERIES_KEPT);
  await hookQueue(env, repoId).kick(repoId);
}

export function hookQueue(env: Env, repoId: number) {
  return env.HOOKS.get(env.HOOKS.idFromName(`hooks:${repoId}`));
}

/** The repository as payloads show it (Gitea shows it with the owner's permission). */
export async function repositoryPayload(env: Env, origin: string, repo: RepoRecord) {
  const [summary, settings] = await Promise.all([
    repoClient(env, repo).summary(),
    findRepoSetting(env.DB, repo.id),
  ]);
  return repoJson(origin, repo, { ...summary, permission: 'admin', settings });
}

/**
 * For surfaces: when the repository has hooks for `event`, builds the payload and queues it,
 * after the answer (waitUntil), so the request neither waits for nor fails with it.
 */
export function emitHookEvent(
  env: Env,
  ctx: { waitUntil(p: Promise<unknown>): void },
  repoId: number,
  event: HookEvent,
  action: string,
  build: () => Promise<object>,
): void {
  const work = (async () => {
    const hooks = await hooksFor(env.DB, repoId, event);
    if (hooks.length === 0) return;
    const payload = await build();
    await queueDeliveries(
      env,
      repoId,
      hooks.map((h) => newDelivery(h, event, action, payload)),
    );
  })().catch((e: unknown) => console.error(`webhooks: could not queue ${event}`, e));
  ctx.waitUntil(work);
}
