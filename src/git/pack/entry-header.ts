import { PackError } from '../errors';
import { assertPackType, type PackTypeNumber } from '../object-header';

/**
 * Pack entry headers: a type (3 bits) and size (little-endian base-128 varint), then for an
 * ofs-delta the distance back to the base in git's "offset encoding" (big-endian base-128 where
 * each continuation adds one, so every value has exactly one encoding).
 */

export interface EntryHeader {
  readonly type: PackTypeNumber;
  readonly size: number;
  /** Bytes used by the type/size header. */
  readonly length: number;
}

// Sizes and offsets are kept below 2^53 so plain numbers stay exact.
const MAX_SAFE_SHIFT = 53;

export function encodeEntryHeader(type: PackTypeNumber, size: number): Uint8Array {
  const out: number[] = [];
  let c = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out.push(c | 0x80);
    c = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  out.push(c);
  return Uint8Array.from(out);
}

/** Where a malformed header sits, for messages: the entry's pack offset when the caller knows it. */
function entryAt(at: number | undefined): string {
  return at === undefined ? 'entry ' : `entry at ${at}: `;
}

/**
 * Decode a type/size header at `pos`; returns null if `bytes` ends before the header does.
 * `at` (the entry's offset in its pack) only goes into error messages.
 */
export function decodeEntryHeader(bytes: Uint8Array, pos = 0, at?: number): EntryHeader | null {
  if (pos >= bytes.length) return null;
  let c = bytes[pos];
  const type = assertPackType((c >> 4) & 7);
  let size = c & 0x0f;
  let shift = 4;
  let i = pos + 1;
  while (c & 0x80) {
    // Too long is an error even when the rest has not arrived yet.
    if (shift > MAX_SAFE_SHIFT) throw new PackError('PACK_BAD_ENTRY', `${entryAt(at)}size varint too long`);
    if (i >= bytes.length) return null;
    c = bytes[i++];
    size += (c & 0x7f) * 2 ** shift;
    shift += 7;
  }
  return { type, size, length: i - pos };
}

export function encodeOfsDelta(distance: number): Uint8Array {
  if (distance <= 0) throw new PackError('PACK_BAD_ENTRY', `invalid ofs-delta distance ${distance}`);
  const out: number[] = [distance & 0x7f];
  let n = Math.floor(distance / 128);
  while (n > 0) {
    n -= 1;
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  return Uint8Array.from(out.reverse());
}

/** Decode an ofs-delta distance at `pos`; null if truncated. `at` as for decodeEntryHeader. */
export function decodeOfsDelta(
  bytes: Uint8Array,
  pos = 0,
  at?: number,
): { distance: number; length: number } | null {
  if (pos >= bytes.length) return null;
  let c = bytes[pos];
  let n = c & 0x7f;
  let i = pos + 1;
  while (c & 0x80) {
    if (n > 2 ** 45)
      throw new PackError(
        'PACK_BAD_ENTRY',
        `${at === undefined ? '' : entryAt(at)}ofs-delta offset too large`,
      );
    if (i >= bytes.length) return null;
    c = bytes[i++];
    n = (n + 1) * 128 + (c & 0x7f);
  }
  return { distance: n, length: i - pos };
}
