/**
 * Retry for e2e setup requests. Starting a second server (`startServer`) rewrites files under
 * dist/ that a running wrangler watches, so a server may reload for a few seconds ("worker
 * restarted mid-request", connection refused). Only setup steps go through this, never the
 * behaviour under test.
 */
export async function settled<T>(what: string, work: () => Promise<T>, attempts = 15): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await work();
    } catch (e) {
      last = e;
      const text = String(e instanceof Error ? `${e.message} ${String(e.cause)}` : e);
      if (!/503|restarted|fetch failed|ECONNREFUSED|other side closed/.test(text)) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error(`${what}: server did not settle`, { cause: last });
}
