import { DurableObject } from 'cloudflare:workers';

/** What a limiter answers before a password is checked. */
export type AttemptGrant = { ok: true; attempt: number } | { ok: false; retryAfterSeconds: number };

export interface LimitPolicy {
  /** Failures allowed within the window; the next attempt is refused. */
  limit: number;
  windowMs: number;
}

/** How long a granted attempt may stay unsettled (a Worker that died mid-check) before it lapses. */
const PENDING_MAX_MS = 30_000;
/** How long an attempt waits for others in flight to settle before it is refused. */
const WAIT_MAX_MS = 5_000;
const FAILURES_KEY = 'failures';

/**
 * Failed password attempts of one key (an account or a client address), as a sliding window of
 * their times. One object per key, so every isolate in every location sees the same count.
 *
 * An attempt is granted before the password is hashed and settled after: attempts in flight count
 * as failures until they settle, so a burst of guesses sent at once cannot get more than `limit`
 * past the check; a granted attempt that succeeds is forgotten. Attempts that would only exceed
 * the limit because others are still in flight wait for them (a burst of right passwords is
 * slowed, not refused). Storage is cleared by an alarm once the window has passed.
 */
export class RateLimiter extends DurableObject<Env> {
  private failures: number[] | null = null;
  private readonly pending = new Map<number, number>();
  private nextAttempt = 1;
  private waiters: (() => void)[] = [];

  async acquire(policy: LimitPolicy): Promise<AttemptGrant> {
    const deadline = Date.now() + WAIT_MAX_MS;
    for (;;) {
      const now = Date.now();
      const failures = await this.recentFailures(now, policy.windowMs);
      if (failures.length >= policy.limit) {
        // Free again when the failure that brought the count to the limit leaves the window.
        const until = failures[failures.length - policy.limit] + policy.windowMs;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
      }
      this.dropLapsed(now);
      if (failures.length + this.pending.size < policy.limit) {
        const attempt = this.nextAttempt++;
        this.pending.set(attempt, now);
        return { ok: true, attempt };
      }
      if (now >= deadline) return { ok: false, retryAfterSeconds: 1 };
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.min(1_000, deadline - now));
      });
    }
  }

  /** Ends a granted attempt: a failure is remembered for the window, a success forgotten. */
  async settle(attempt: number, failed: boolean, policy: LimitPolicy): Promise<void> {
    if (!this.pending.delete(attempt)) return;
    if (failed) {
      const now = Date.now();
      const failures = await this.recentFailures(now, policy.windowMs);
      failures.push(now);
      await this.ctx.storage.put(FAILURES_KEY, failures);
      await this.ctx.storage.setAlarm(now + policy.windowMs);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  override async alarm(): Promise<void> {
    // The last failure has left the window (a later one moved the alarm further).
    this.failures = [];
    await this.ctx.storage.deleteAll();
  }

  private async recentFailures(now: number, windowMs: number): Promise<number[]> {
    this.failures ??= (await this.ctx.storage.get<number[]>(FAILURES_KEY)) ?? [];
    const from = now - windowMs;
    if (this.failures.length > 0 && this.failures[0] <= from) {
      this.failures = this.failures.filter((t) => t > from);
    }
    return this.failures;
  }

  private dropLapsed(now: number): void {
    for (const [attempt, at] of this.pending) {
      if (now - at > PENDING_MAX_MS) this.pending.delete(attempt);
    }
  }
}
