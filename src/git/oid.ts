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

const DIGITS = Uint16Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Character codes of one id, reused: ids are made by the hundred thousand. */
const ID_CODES = new Uint16Array(40);
/** Bytes turned into one string at a time (the arguments of a call are limited). */
const HEX_RUN = 4096;

/**
 * Bytes as lowercase hex, one flat string. Appending two digits at a time made V8 keep each id as
 * a chain of some fifteen partial strings, ~450 bytes instead of ~56: the 407,000 ids of a push
 * listed for its collision check took 134 MiB.
 */
export function bytesToHex(bytes: Uint8Array): string {
  return hexRange(bytes, 0, bytes.length);
}

/** The 20-byte id at `bytes[at..]` as 40 hex digits. */
export function idHexAt(bytes: Uint8Array, at: number): string {
  return hexRange(bytes, at, 20);
}

function hexRange(bytes: Uint8Array, at: number, length: number): string {
  if (length > HEX_RUN) {
    let out = '';
    for (let i = 0; i < length; i += HEX_RUN) out += hexRange(bytes, at + i, Math.min(HEX_RUN, length - i));
    return out;
  }
  const codes = length === 20 ? ID_CODES : new Uint16Array(length * 2);
  for (let i = 0; i < length; i++) {
    const b = bytes[at + i];
    codes[2 * i] = DIGITS[b >> 4];
    codes[2 * i + 1] = DIGITS[b & 15];
  }
  return String.fromCharCode.apply(null, codes as unknown as number[]);
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
