/** Checks shared by commits and tags: the header block is NUL-free and LF-terminated. */
import type { FsckReport } from './findings';

const LF = 0x0a;

/** git's `verify_headers`: true when the header part is well terminated. */
export function verifyHeaders(data: Uint8Array, report: FsckReport): boolean {
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) {
      report.add('NUL_IN_HEADER', `unterminated header: NUL at offset ${i}`);
      return false;
    }
    if (data[i] === LF && i + 1 < data.length && data[i + 1] === LF) return true;
  }
  if (data.length > 0 && data[data.length - 1] === LF) return true;
  report.add('UNTERMINATED_HEADER', 'unterminated header');
  return false;
}

/** If `data` at `pos` starts with `prefix`, the position after it; else -1. */
export function skipPrefix(data: Uint8Array, pos: number, prefix: string): number {
  if (pos + prefix.length > data.length) return -1;
  for (let i = 0; i < prefix.length; i++) if (data[pos + i] !== prefix.charCodeAt(i)) return -1;
  return pos + prefix.length;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** git's `parse_oid_hex(...) || *p != '\n'`: 40 hex digits (either case) then LF. Returns the position after the LF, or -1. */
export function oidLine(data: Uint8Array, pos: number): number {
  if (pos + 41 > data.length) return -1;
  for (let i = 0; i < 40; i++) if (!isHex(data[pos + i])) return -1;
  return data[pos + 40] === LF ? pos + 41 : -1;
}

/** Position after the next LF from `pos` (or the end). */
export function nextLine(data: Uint8Array, pos: number): number {
  const eol = data.indexOf(LF, pos);
  return eol < 0 ? data.length : eol + 1;
}
