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
import {
  type AttemptOutcome,
  type DeliveryRecord,
  dueDeliveries,
  listHooks,
  nextDueAt,
  recordAttempts,
} from '../db/webhooks';
import { DELIVERIES_KEPT } from './config';
import { attemptDelivery } from './deliver';
import { followForkPush } from './pull-sync';
import { type PushAnnouncement, pushDeliveries } from './push-payload';
import { queueDeliveries } from './queue';

/** Deliveries read per batch. A kick (or the API) sends one batch and leaves the rest to the
 * alarm, whose run sends up to ALARM_BATCHES before it re-arms: callers wait for one batch only. */
const RUN_BATCH = 50;
const ALARM_BATCHES = 8;
/** Hooks sent to at once (each hook's own deliveries go one at a time, in order). */
const HOOK_LANES = 6;

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
  deliverDue(repoId: number, now: number, batches = 1): Promise<number> {
    const run = this.chain.then(() => this.run(repoId, now, batches));
    this.chain = run.catch(() => undefined);
    return run;
  }

  override async alarm(): Promise<void> {
    const repoId = this.repoId();
    if (repoId !== null) await this.deliverDue(repoId, Date.now(), ALARM_BATCHES);
  }

  private async run(repoId: number, now: number, batches: number): Promise<number> {
    let attempted = 0;
    let more = false;
    for (let i = 0; i < batches; i++) {
      const due = await dueDeliveries(this.env.DB, repoId, now, RUN_BATCH);
      await this.sendBatch(repoId, due, now);
      attempted += due.length;
      more = due.length === RUN_BATCH;
      if (!more) break;
    }
    const next = more ? Date.now() : await nextDueAt(this.env.DB, repoId);
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
    return attempted;
  }

  /**
   * Sends a batch: the hooks are read once, each hook's deliveries go in order on a lane of their
   * own (a slow receiver holds only its own), and the answers are recorded in one D1 batch.
   */
  private async sendBatch(repoId: number, due: readonly DeliveryRecord[], now: number): Promise<void> {
    if (due.length === 0) return;
    const hooks = new Map((await listHooks(this.env.DB, repoId)).map((h) => [h.id, h]));
    const lanes = new Map<number, DeliveryRecord[]>();
    for (const d of due) {
      const list = lanes.get(d.hookId);
      if (list) list.push(d);
      else lanes.set(d.hookId, [d]);
    }
    const done: { id: number; hookId: number; outcome: AttemptOutcome }[] = [];
    const queue = [...lanes.entries()];
    const lane = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [hookId, list] = next;
        const hook = hooks.get(hookId);
        // A hook deleted since took its deliveries with it (on delete cascade).
        if (!hook) continue;
        for (const d of list)
          done.push({ id: d.id, hookId, outcome: await attemptDelivery(this.env, hook, d, now) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(HOOK_LANES, queue.length) }, lane));
    await recordAttempts(this.env.DB, done, DELIVERIES_KEPT);
  }
}
