/**
 * Deleting R2 objects in the background, resumably: the prefixes to empty are rows in D1
 * (`blob_sweep`, written with the deletion that orphans them); one Durable Object works through
 * them on its alarm, at most BLOB_SWEEP_KEYS_PER_RUN keys a run, and drops a row once its prefix
 * lists nothing. Before each run it sets an alarm a minute ahead, so a run cut short (an evicted
 * object, a failing R2 call) is retried from the rows left; deleting a key twice is harmless.
 */
import { DurableObject } from 'cloudflare:workers';
import { finishSweep, pendingSweeps } from '../db/blob-sweep';

declare global {
  interface Env {
    /** Keys deleted per alarm run at most (default 1,000: one R2 delete call). */
    readonly BLOB_SWEEP_KEYS_PER_RUN?: string;
    /** How long after a deletion the sweep starts, in ms (default 0; tests hold it back). */
    readonly BLOB_SWEEP_DELAY_MS?: string;
  }
}

const RETRY_MS = 60_000;
/** R2 lists and deletes at most 1,000 keys a call. */
const R2_PAGE = 1000;

function setting(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * Deletes up to `budget` keys under the pending prefixes, oldest prefix first. Answers whether
 * work is left.
 */
export async function sweepBatch(db: D1Database, bucket: R2Bucket, budget: number): Promise<boolean> {
  let left = Math.max(1, budget);
  for (const prefix of await pendingSweeps(db, 10)) {
    for (;;) {
      if (left <= 0) return true;
      const page = await bucket.list({ prefix, limit: Math.min(R2_PAGE, left) });
      if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
      left -= page.objects.length;
      if (!page.truncated) {
        await finishSweep(db, prefix);
        break;
      }
    }
  }
  return (await pendingSweeps(db, 1)).length > 0;
}

/** The one sweeper object (its work is in D1, so one instance serves every repository). */
export function blobSweeper(env: Env) {
  return env.BLOB_SWEEPER.get(env.BLOB_SWEEPER.idFromName('blob-sweeper'));
}

export class BlobSweeper extends DurableObject<Env> {
  /** New work was recorded: sweep after BLOB_SWEEP_DELAY_MS (unless a run is due sooner). */
  async kick(): Promise<void> {
    const at = Date.now() + setting(this.env.BLOB_SWEEP_DELAY_MS, 0);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
    const budget = setting(this.env.BLOB_SWEEP_KEYS_PER_RUN, R2_PAGE);
    if (await sweepBatch(this.env.DB, this.env.BLOBS, budget)) await this.ctx.storage.setAlarm(Date.now());
    else await this.ctx.storage.deleteAlarm();
  }
}
