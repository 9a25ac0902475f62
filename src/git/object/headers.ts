/**
 * The header block shared by commits and tags: `key SP value LF` lines, where a value may span
 * several lines (continuation lines start with a space, as in gpgsig and mergetag), then an
 * empty line and the message. Values are kept as bytes so that serializing is byte exact.
 */
import { malformed } from './errors';

export interface ObjectHeader {
  readonly key: string;
  /** The value with continuation lines joined by LF (their leading space removed). */
  readonly value: Uint8Array;
}

export interface HeaderBlock {
  readonly headers: ObjectHeader[];
  /** Bytes after the empty line, or null when the object has no empty line at all. */
  readonly message: Uint8Array | null;
}

const LF = 0x0a;
const SP = 0x20;
const latin1 = new TextDecoder('latin1');

export function parseHeaderBlock(kind: string, data: Uint8Array): HeaderBlock {
  const headers: ObjectHeader[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === LF) return { headers, message: data.subarray(pos + 1) };
    const lineEnd = data.indexOf(LF, pos);
    if (lineEnd < 0) throw malformed(kind, 'unterminated header line');
    const space = data.indexOf(SP, pos);
    if (space < 0 || space > lineEnd) throw malformed(kind, 'header line without a value');
    const key = latin1.decode(data.subarray(pos, space));
    // Collect continuation lines.
    let end = lineEnd;
    while (end + 1 < data.length && data[end + 1] === SP) {
      const next = data.indexOf(LF, end + 1);
      if (next < 0) throw malformed(kind, 'unterminated continuation line');
      end = next;
    }
    const raw = data.subarray(space + 1, end);
    headers.push({ key, value: joinContinuation(raw) });
    pos = end + 1;
  }
  return { headers, message: null };
}

/** Remove the space after each LF of a multi-line header value. */
function joinContinuation(raw: Uint8Array): Uint8Array {
  if (raw.indexOf(LF) < 0) return raw;
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    out.push(raw[i]);
    if (raw[i] === LF && raw[i + 1] === SP) i++;
  }
  return Uint8Array.from(out);
}

/** Bytes of one header line (with continuation spaces re-inserted) including its LF. */
export function serializeHeader(key: string, value: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of value) if (b === LF) extra++;
  const keyBytes = latin1Encode(key);
  const out = new Uint8Array(keyBytes.length + 1 + value.length + extra + 1);
  out.set(keyBytes, 0);
  let at = keyBytes.length;
  out[at++] = SP;
  for (const b of value) {
    out[at++] = b;
    if (b === LF) out[at++] = SP;
  }
  out[at] = LF;
  return out;
}

export function latin1Encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function latin1Decode(b: Uint8Array): string {
  return latin1.decode(b);
}

/** Whether two byte strings are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
