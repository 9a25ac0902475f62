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

export async function* readBody(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
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
  let finished = false;
  try {
    for (;;) {
      // A fresh buffer each time: the reader takes ownership, and consumers may keep the piece.
      const { done, value } = await readAtLeast(MIN_BYTES, new Uint8Array(PIECE_BYTES));
      if (value && value.byteLength > 0) yield value;
      if (done) {
        finished = true;
        return;
      }
    }
  } finally {
    // As fromReadableStream: stopping early (a refused push) cancels the source.
    if (finished) reader.releaseLock();
    else await reader.cancel();
  }
}
