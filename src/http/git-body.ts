/**
 * The body of a git POST as the protocol handlers read it: inflated when the client gzip-compressed
 * it (git does for large negotiations), an upload-pack request capped while it streams, and what
 * the handler left unread drained once the answer is complete.
 */
import { PROTOCOL_LIMITS, requestTooLarge } from '../git/protocol/limits';
import { capBytes } from '../git/stream';
import type { GitService } from '../services/repo-client';
import { drainReader } from './drain-body';

export interface GitBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Still gzip-compressed (an upload-pack request: the repository inflates it as it reads). */
  readonly gzip: boolean;
  /** Read past what the handler left of the upload (after its answer is complete). */
  drain(): Promise<void>;
}

type Bytes = Uint8Array<ArrayBuffer>;

export type BodyRefusal = { status: 400 | 413 | 415; message: string };

/**
 * An upload-pack request is capped at `requestBytes` before and after inflating, counted as it
 * streams (a small gzip body can inflate a thousandfold); a push's body is its pack, capped by the
 * repository (MAX_PUSH_BYTES, counted on the inflated bytes it reads).
 */
export function gitBody(request: Request, service: GitService): GitBody | BodyRefusal {
  const max = service === 'git-upload-pack' ? PROTOCOL_LIMITS.requestBytes : undefined;
  if (max !== undefined && Number(request.headers.get('Content-Length') ?? 0) > max) {
    return { status: 413, message: requestTooLarge() };
  }
  const encoding = (request.headers.get('Content-Encoding') ?? '').toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  if (!gzip && encoding !== '' && encoding !== 'identity') {
    return { status: 415, message: `Unsupported Content-Encoding: ${encoding}` };
  }
  const body = request.body ?? new Response(new Uint8Array(0)).body;
  if (!body) return { status: 400, message: 'Missing request body' };
  if (max === undefined) {
    // Pushes keep the runtime's own stream: the fastest path for hundreds of MB.
    const stream = gzip ? body.pipeThrough(new DecompressionStream('gzip')) : body;
    return { stream, gzip: false, drain: () => Promise.resolve() };
  }
  // Only the compressed bytes cross to the repository, which inflates them as it reads (see
  // inflateUpload): it may refuse at the first line and read no further.
  const tap = tapped(body, max);
  return { stream: tap.stream.pipeThrough(capBytes<Bytes>(max, requestTooLarge())), gzip, drain: tap.drain };
}

/**
 * The body read through a reader kept here: when the handler stops early (a refusal), the rest of
 * the upload can still be read and dropped, so the client sees the answer instead of a connection
 * closed under its upload.
 */
function tapped(
  body: ReadableStream<Bytes>,
  limit: number,
): Omit<GitBody, 'gzip'> & { stream: ReadableStream<Bytes> } {
  const reader = body.getReader();
  let draining = false;
  const stream = new ReadableStream<Bytes>({
    async pull(controller) {
      const next = draining ? { done: true as const } : await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  return {
    stream,
    async drain() {
      draining = true;
      // Up to the request cap: dropped as it comes, these raw bytes cost nothing to hold.
      await drainReader(reader, limit);
    },
  };
}
