/** Read past what a handler left unread of a request body (the git and API surfaces use it). */

/** Bodies larger than this are cancelled rather than read to the end. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * Finish reading a request body nobody consumed, up to DRAIN_LIMIT: answering a request whose
 * upload is half read leaves the connection unusable for the client's next request (git and
 * browsers reuse it, e.g. to retry with credentials).
 */
export async function drainBody(request: Request): Promise<void> {
  const body = request.body;
  if (!body || request.bodyUsed || body.locked) return;
  await drainReader(body.getReader());
}

/** Read and drop the rest of a body through its reader, up to `limit` bytes (then cancel it). */
export async function drainReader(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit = DRAIN_LIMIT,
): Promise<void> {
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    seen += value.byteLength;
    if (seen > limit) {
      await reader.cancel();
      return;
    }
  }
}
