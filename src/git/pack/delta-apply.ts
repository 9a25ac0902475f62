import { DeltaError } from '../errors';

/**
 * Git delta format: varint source size, varint target size, then instructions. A byte with the
 * high bit set copies from the source (bits 0-3 select offset bytes, 4-6 size bytes, size 0
 * meaning 0x10000); a byte 1..127 inserts that many literal bytes; 0 is reserved.
 */

export interface DeltaSizes {
  readonly sourceSize: number;
  readonly targetSize: number;
  /** Where the instructions start. */
  readonly headerLength: number;
}

function readVarint(delta: Uint8Array, pos: number): [number, number] {
  let n = 0;
  let shift = 0;
  let c: number;
  do {
    if (pos >= delta.length) throw new DeltaError('DELTA_TRUNCATED', 'delta header is truncated');
    if (shift > 49) throw new DeltaError('DELTA_TRUNCATED', 'delta size varint too long');
    c = delta[pos++];
    n += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80);
  return [n, pos];
}

export function readDeltaSizes(delta: Uint8Array): DeltaSizes {
  const [sourceSize, p1] = readVarint(delta, 0);
  const [targetSize, p2] = readVarint(delta, p1);
  return { sourceSize, targetSize, headerLength: p2 };
}

/** Copies shorter than this are done byte by byte: a subarray per copy cost more than the copy. */
const SHORT_COPY = 32;

/** `dst[at ..] = src[from .. from + n]`, the bounds already checked by the caller. */
function copyBytes(dst: Uint8Array, at: number, src: Uint8Array, from: number, n: number): void {
  if (n < SHORT_COPY) for (let k = 0; k < n; k++) dst[at + k] = src[from + k];
  else dst.set(src.subarray(from, from + n), at);
}

/**
 * The object `delta` makes of `base`. With `into` at least as large as the result, the result is
 * written there (and a view of it returned) instead of a new array: a caller that does not keep
 * the result saves allocating and collecting it.
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array, into?: Uint8Array): Uint8Array {
  const { sourceSize, targetSize, headerLength } = readDeltaSizes(delta);
  if (sourceSize !== base.length) {
    throw new DeltaError('DELTA_SOURCE_SIZE', `delta expects a ${sourceSize}-byte base, got ${base.length}`);
  }
  // Each instruction byte yields at most one whole base (copy) or 127 bytes (insert); refusing
  // a larger declared size keeps a tiny hostile delta from allocating gigabytes up front.
  if (targetSize > (delta.length - headerLength) * Math.max(base.length, 127)) {
    throw new DeltaError(
      'DELTA_TARGET_SIZE',
      `declared target size ${targetSize} is more than the delta can produce`,
    );
  }
  const out =
    into !== undefined && into.length >= targetSize
      ? into.subarray(0, targetSize)
      : new Uint8Array(targetSize);
  let o = 0;
  let p = headerLength;
  while (p < delta.length) {
    const op = delta[p++];
    if (op & 0x80) {
      let off = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) {
        if (op & (1 << bit)) {
          if (p >= delta.length) throw new DeltaError('DELTA_TRUNCATED', 'copy instruction is truncated');
          off += delta[p++] * 2 ** (8 * bit);
        }
      }
      for (let bit = 0; bit < 3; bit++) {
        if (op & (0x10 << bit)) {
          if (p >= delta.length) throw new DeltaError('DELTA_TRUNCATED', 'copy instruction is truncated');
          size |= delta[p++] << (8 * bit);
        }
      }
      if (size === 0) size = 0x10000;
      if (off + size > base.length) {
        throw new DeltaError(
          'DELTA_OUT_OF_BOUNDS',
          `copy [${off}, ${off + size}) outside a ${base.length}-byte base`,
        );
      }
      if (o + size > targetSize) {
        throw new DeltaError('DELTA_TARGET_SIZE', 'delta writes past its declared target size');
      }
      copyBytes(out, o, base, off, size);
      o += size;
    } else if (op !== 0) {
      if (p + op > delta.length) throw new DeltaError('DELTA_TRUNCATED', 'insert instruction is truncated');
      if (o + op > targetSize) {
        throw new DeltaError('DELTA_TARGET_SIZE', 'delta writes past its declared target size');
      }
      copyBytes(out, o, delta, p, op);
      o += op;
      p += op;
    } else {
      throw new DeltaError('DELTA_BAD_OPCODE', 'reserved delta opcode 0');
    }
  }
  if (o !== targetSize) {
    throw new DeltaError('DELTA_TARGET_SIZE', `delta produced ${o} bytes, declared ${targetSize}`);
  }
  return out;
}
