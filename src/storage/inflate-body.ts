/**
 * A gzip upload-pack request inflated where it is read (the repository's object), as it is read:
 * inflating in the Worker ran ahead of the reader, since the stream handed over RPC is pumped
 * whatever the far side reads (three refused gzip bombs peaked ~60 MB above idle; here they
 * cost what the reader pulls, a piece at a time).
 */
import { capBytes } from '../git/stream';

/**
 * Compressed bytes handed to the inflater at once. Inflating runs a whole written chunk, and
 * deflate expands at most ~1,032 times: a 64 KiB piece of a gzip bomb was ~60 MB of output held
 * at once, a 1 KiB piece is at most ~1 MB, and the next waits until that is read.
 */
const INFLATE_PIECE = 1024;

/** The inflated request, failing once more than `max` bytes have come out. */
export function inflateUpload(
  compressed: ReadableStream<Uint8Array>,
  max: number,
  tooLarge: string,
): ReadableStream<Uint8Array> {
  return compressed
    .pipeThrough(pieces(INFLATE_PIECE))
    .pipeThrough(new DecompressionStream('gzip'))
    .pipeThrough(capBytes(max, tooLarge));
}

/** Cuts chunks into pieces of at most `size` bytes. */
function pieces(size: number): TransformStream<Uint8Array, Uint8Array<ArrayBuffer>> {
  return new TransformStream<Uint8Array, Uint8Array<ArrayBuffer>>({
    transform(chunk, controller) {
      // A request body's bytes are always in an ArrayBuffer (never shared memory).
      const bytes = chunk as Uint8Array<ArrayBuffer>;
      for (let at = 0; at < bytes.byteLength; at += size) controller.enqueue(bytes.subarray(at, at + size));
    },
  });
}
