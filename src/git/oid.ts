import { ObjectError } from './errors';
import type { Oid } from './store';

const OID_RE = /^[0-9a-f]{40}$/;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** True for a SHA-1 object id in canonical form (40 lowercase hex digits). */
export function isOid(value: string): value is Oid {
  return OID_RE.test(value);
}

/** One byte as two lowercase hex digits. */
export function byteHex(b: number): string {
  return HEX[b & 0xff];
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

/** Decodes an even-length hex string; throws INVALID_OID on any other character. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new ObjectError('INVALID_OID', `odd-length hex string: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(hex.charCodeAt(2 * i));
    const lo = hexNibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new ObjectError('INVALID_OID', `not a hex string: ${hex}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * Writes the 20 bytes of a 40-digit hex id at `out[at..]` without allocating; false (and `out`
 * partly written) when `hex` is not 40 hex digits.
 */
export function hexInto(hex: string, out: Uint8Array, at: number): boolean {
  if (hex.length !== 40) return false;
  for (let i = 0; i < 20; i++) {
    const hi = hexNibble(hex.charCodeAt(2 * i));
    const lo = hexNibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return false;
    out[at + i] = (hi << 4) | lo;
  }
  return true;
}

/** The 20 raw bytes of an oid (validated). */
export function oidToBytes(oid: Oid): Uint8Array {
  if (!isOid(oid)) throw new ObjectError('INVALID_OID', `invalid object id: ${oid}`);
  return hexToBytes(oid);
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
