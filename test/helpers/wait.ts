/**
 * Waiting for a condition the server reaches in its own time (a queued delivery, background work,
 * a request held in a queue): check, pause briefly, check again, and fail with `what` after a
 * generous deadline. Never a measure of time: only "it happened" or "it never did".
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined && found !== null && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
