/** The runtime's zlib, injected where the engine compresses an object whole. */
import { deflateSync } from 'node:zlib';
import type { DeflateFn } from '../git/pack/zlib';

const MAX_CHUNK = 1024 * 1024;

/**
 * Deflate with the runtime's zlib. A pack sends whole, compressed for that answer only, each
 * object stored as a delta whose base it does not send (shallow and filtered fetches): the
 * engine's JavaScript deflate was ~18% of the large depth-1 clone's profile in the object. The
 * output buffer is sized to the input, up to a MiB (deflateSync otherwise fills 16 KiB buffers
 * and returns a view of one, which a small object would keep alive), and an output much smaller
 * than its buffer is copied out, so a pack being gathered holds its own bytes only.
 */
export const nativeDeflate: DeflateFn = (data, level) => {
  // Past a MiB the output comes in pieces joined into a buffer of its exact size.
  const room = Math.min(data.byteLength + (data.byteLength >> 10) + 64, MAX_CHUNK);
  const out = deflateSync(data, { level, chunkSize: room });
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  return bytes.byteLength * 2 < bytes.buffer.byteLength ? bytes.slice() : bytes;
};
