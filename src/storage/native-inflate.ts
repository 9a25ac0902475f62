/** The runtime's zlib, injected where the engine inflates whole zlib streams of known size. */
import { inflateSync } from 'node:zlib';
import { type InflateFn, lazyInflate } from '../git/pack/zlib';
import { type NativeInflater, openNativeInflater } from './native-inflater';

/**
 * Without a reusable native stream, below this many inflated bytes the engine's own inflater is
 * faster: a call into the runtime's zlib sets up a stream each time (~6 us in Node).
 */
const NATIVE_MIN_BYTES = 512;

/**
 * Inflate with the runtime's zlib: one native stream reused (see native-inflater.ts), or where
 * the runtime has none usable, its inflateSync for streams of 512 bytes and more (2.5x the
 * engine's JavaScript inflater at 3 KB, 4x at 30 KB). A stream the runtime refuses or that does
 * not inflate to exactly `size` bytes goes to `engine`, so that a corrupt or truncated entry fails
 * with the engine's own error. The output buffer is sized to the object: by default inflateSync
 * inflates into a 16 KiB buffer and returns a view of it, so every small object kept in a cache
 * held 16 KiB (what once ran a push of many small deltas out of memory).
 */
export function nativeInflate(engine: InflateFn): InflateFn {
  return lazyInflate(() => {
    const inflater = openNativeInflater();
    return inflater === null ? wholeInflateSync(engine) : reusedInflate(inflater, engine);
  });
}

/**
 * One reused native stream for every call (a stream per call cost ~6 us of setup and a buffer):
 * the output is sized to the object, a byte of room past it to see a stream that goes on.
 */
function reusedInflate(inflater: NativeInflater, engine: InflateFn): InflateFn {
  return (zlib, size) => {
    const out = new Uint8Array(size + 1);
    try {
      inflater.startInto(out);
      const used = inflater.push(zlib);
      // All taken and all inflated: a stream that ends with the input is seen to end only now.
      if (used === zlib.length && inflater.total === size) inflater.endInput();
    } catch {
      // Corrupt: the engine's inflater says how, as it always has.
      return engine(zlib, size);
    }
    // Truncated, too long or too short: likewise.
    if (!inflater.done || inflater.total !== size) return engine(zlib, size);
    return out.subarray(0, size);
  };
}

/** Without a usable native stream: the runtime's inflateSync, a stream per call. */
function wholeInflateSync(engine: InflateFn): InflateFn {
  return (zlib, size) => {
    if (size < NATIVE_MIN_BYTES) return engine(zlib, size);
    let out: Uint8Array | undefined;
    try {
      out = inflateSync(zlib, { chunkSize: size + 1, maxOutputLength: size + 1 });
    } catch {
      // Corrupt, truncated or too long: the engine's inflater says which, as it always has.
    }
    if (out === undefined || out.byteLength !== size) return engine(zlib, size);
    const view = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    // Only the object's own bytes may be kept alive by whoever holds it.
    return view.buffer.byteLength > size + 64 ? view.slice() : view;
  };
}
