/**
 * A repository's webhook queue: one Durable Object per repository that sends the deliveries
 * stored in D1 (`webhook_delivery`) and retries failed ones with backoff on its alarm. Pushes
 * announce their ref updates here after the refs moved; the API queues its events here. Runs
 * are serialised, so a delivery is never sent twice at once.
 */
import { DurableObject } from 'cloudflare:workers';
import { runAutoMerges } from '../api/auto-merge';
import { listAutoMerges } from '../db/auto-merge';
import { findRepoById } from '../db/repos';
import { dueDeliveries, findHook, nextDueAt, recordAttempt } from '../db/webhooks';
import { attemptDelivery } from './deliver';
import { followForkPush } from './pull-sync';
import { type PushAnnouncement, pushDeliveries } from './push-payload';
import { queueDeliveries } from './queue';

/** Deliveries sent per run at most; a run with more left schedules the next at once. */
const RUN_BATCH = 25;

export class HookQueue extends DurableObject<Env> {
  private chain: Promise<unknown> = Promise.resolve();

  private repoId(): number | null {
    const m = /^hooks:(\d+)$/.exec(this.ctx.id.name ?? '');
    return m ? Number(m[1]) : null;
  }

  /** A push moved refs: queue its push, create and delete payloads (queueDeliveries kicks), and
   * bring the pull requests whose head is a branch of this repository as a fork up to date. */
  async pushed(a: PushAnnouncement): Promise<void> {
    const follow = followForkPush(this.env, a).catch((e: unknown) => {
      console.error('forks: pull requests did not follow the push', e);
    });
    await queueDeliveries(this.env, a.repoId, await pushDeliveries(this.env, a));
    await follow;
    // A push may satisfy (or, with stale approvals dismissed, unsatisfy) a scheduled auto-merge.
    if ((await listAutoMerges(this.env.DB, a.repoId)).length === 0) return;
    const repo = await findRepoById(this.env.DB, a.repoId);
    if (repo) await runAutoMerges({ env: this.env, ctx: this.ctx, origin: a.origin }, repo);
  }

  /** Send what is due now (new deliveries are due at once). */
  async kick(repoId: number): Promise<void> {
    await this.deliverDue(repoId, Date.now());
  }

  /**
   * Sends every delivery due at `now` (tests pass a time of their own to trigger retries) and
   * schedules the alarm for the next one. Answers how many were attempted.
   */
  deliverDue(repoId: number, now: number): Promise<number> {
    const run = this.chain.then(() => this.run(repoId, now));
    this.chain = run.catch(() => undefined);
    return run;
  }

  override async alarm(): Promise<void> {
    const repoId = this.repoId();
    if (repoId !== null) await this.deliverDue(repoId, Date.now());
  }

  private async run(repoId: number, now: number): Promise<number> {
    const due = await dueDeliveries(this.env.DB, repoId, now, RUN_BATCH);
    for (const d of due) {
      const hook = await findHook(this.env.DB, repoId, d.hookId);
      if (!hook) continue;
      await recordAttempt(this.env.DB, d.id, await attemptDelivery(this.env, hook, d, now));
    }
    const next = due.length === RUN_BATCH ? Date.now() : await nextDueAt(this.env.DB, repoId);
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
    return due.length;
  }
}
