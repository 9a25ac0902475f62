/**
 * Waiting for a condition the server reaches in its own time (a queued delivery, background work,
 * a request held in a queue): check, pause briefly, check again, and fail with `what` after a
 * generous deadline. Never a measure of time: only "it happened" or "it never did".
 */

export type Found<T> = T | undefined | null | false;

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What was seen instead, for the failure's message. */
  detail?: () => string;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<Found<T>> | Found<T>,
  options: number | WaitOptions = 60_000,
): Promise<T> {
  const opts = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const found = await probe();
    if (found !== undefined && found !== null && found !== false) return found;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${opts.detail ? ` (${opts.detail()})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
