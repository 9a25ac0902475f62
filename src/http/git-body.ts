/**
 * The body of a git POST as the protocol handlers read it: inflated when the client gzip-compressed
 * it (git does for large negotiations), an upload-pack request capped while it streams, and what
 * the handler left unread drained once the answer is complete.
 */
import { PROTOCOL_LIMITS, requestTooLarge } from '../git/protocol/limits';
import type { GitService } from '../storage/repo-object';
import { drainReader } from './drain-body';

export interface GitBody {
  readonly stream: ReadableStream<Uint8Array>;
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
    return { stream, drain: () => Promise.resolve() };
  }
  const tap = tapped(body);
  const capped = tap.stream.pipeThrough(capBytes<Bytes>(max));
  const stream = gzip
    ? capped
        .pipeThrough(pieces<Bytes>(INFLATE_PIECE))
        .pipeThrough(new DecompressionStream('gzip'))
        .pipeThrough(capBytes(max))
    : capped;
  return { stream, drain: tap.drain };
}

/**
 * The body read through a reader kept here: when the handler stops early (a refusal), the rest of
 * the upload can still be read and dropped, so the client sees the answer instead of a connection
 * closed under its upload.
 */
function tapped(body: ReadableStream<Bytes>): GitBody & { stream: ReadableStream<Bytes> } {
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
      await drainReader(reader);
    },
  };
}

/**
 * Compressed bytes handed to the inflater at once. Inflating runs a whole written chunk, and
 * deflate expands at most ~1,032 times: a 64 KiB piece of a gzip bomb was ~60 MB of output held
 * at once, a 1 KiB piece is at most ~1 MB, and the next waits until that is read.
 */
const INFLATE_PIECE = 1024;

/** Cuts chunks into pieces of at most `size` bytes. */
function pieces<T extends Uint8Array>(size: number): TransformStream<T, T> {
  return new TransformStream<T, T>({
    transform(chunk, controller) {
      for (let at = 0; at < chunk.byteLength; at += size)
        controller.enqueue(chunk.subarray(at, at + size) as T);
    },
  });
}

/** Passes bytes through until more than `max` have come, then fails the stream. */
function capBytes<T extends Uint8Array>(max: number): TransformStream<T, T> {
  let seen = 0;
  return new TransformStream<T, T>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > max) controller.error(new Error(requestTooLarge()));
      else controller.enqueue(chunk);
    },
  });
}
