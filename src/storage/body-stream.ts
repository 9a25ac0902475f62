/**
 * Reads a request body in large pieces where the runtime allows it (workerd's `readAtLeast`).
 * A push otherwise arrives in 4 KiB socket reads: thousands of promise rounds, each also a pass
 * through the indexer's per-piece bookkeeping.
 */
import { fromReadableStream } from '../git/stream';

const PIECE_BYTES = 256 * 1024;
const MIN_BYTES = 64 * 1024;

/** workerd's extension of the BYOB reader (absent in Node and browsers). */
interface AtLeastReader extends ReadableStreamBYOBReader {
  readAtLeast?(minBytes: number, view: Uint8Array): Promise<ReadableStreamReadResult<Uint8Array>>;
}

export interface ReadBodyOptions {
  /**
   * Read the next piece while the consumer handles this one, into two buffers in turn: for a
   * consumer done with a piece before it asks for the next (one that copies it on), and a source
   * whose reads wait on I/O (R2), which the wait then overlaps with the consumer's own. Without
   * it, each piece is a fresh buffer, read when asked for: the consumer may keep it.
   */
  readonly ahead?: boolean;
}

export async function* readBody(
  stream: ReadableStream<Uint8Array>,
  { ahead = false }: ReadBodyOptions = {},
): AsyncGenerator<Uint8Array> {
  let reader: AtLeastReader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: read it as it comes.
    yield* fromReadableStream(stream);
    return;
  }
  const readAtLeast = reader.readAtLeast?.bind(reader);
  if (!readAtLeast) {
    reader.releaseLock();
    yield* fromReadableStream(stream);
    return;
  }
  // The reader takes the buffer it is given and answers in it (a view of the same memory, moved).
  const read = (buffer: ArrayBuffer | null) =>
    readAtLeast(MIN_BYTES, new Uint8Array(buffer ?? new ArrayBuffer(PIECE_BYTES)));
  let finished = false;
  try {
    let pending = read(null);
    let spare: ArrayBuffer | null = null;
    for (;;) {
      const { done, value } = await pending;
      if (ahead && !done) {
        pending = read(spare);
        // Awaited on the next turn; until then its failure is not unhandled.
        pending.catch(() => undefined);
      }
      if (value && value.byteLength > 0) yield value;
      if (done) {
        finished = true;
        return;
      }
      if (ahead) spare = (value?.buffer as ArrayBuffer | undefined) ?? null;
      else pending = read(null);
    }
  } finally {
    // As fromReadableStream: stopping early (a refused push) cancels the source.
    if (finished) reader.releaseLock();
    else await reader.cancel();
  }
}
