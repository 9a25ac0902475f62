/**
 * Identities of authors, committers and taggers: `Name <email> 1700000000 +0100`.
 * The timezone is kept verbatim (git accepts odd values such as `+05030` from old tools).
 */
import { malformed } from './errors';
import { bytesEqual, latin1Decode, latin1Encode } from './headers';

export interface Ident {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  /** Verbatim timezone text, e.g. `+0100`. */
  readonly timezone: string;
  /** Set when name/email were not UTF-8 and are held as Latin-1 (one char per byte). */
  readonly latin1?: boolean;
  /** The exact bytes of an identity that does not have the usual shape; written back as is. */
  readonly raw?: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Parse identity bytes. Returns null for bytes without a `<email>`. Odd dates and time zones
 * that old tools wrote (and receive accepts: no space before the date, `+02`, `0100`) parse as
 * best they can and keep their exact bytes in `raw`, so that serializing stays exact.
 */
export function parseIdent(bytes: Uint8Array): Ident | null {
  let text: string;
  let latin1 = false;
  try {
    text = utf8.decode(bytes);
  } catch (e) {
    // Old repositories carry Latin-1 names; hold them byte for byte.
    if (!(e instanceof TypeError)) throw e;
    text = latin1Decode(bytes);
    latin1 = true;
  }
  const m = /^(.*?) ?<([^<>]*)> (\d+) ([+-]\d+)$/s.exec(text);
  if (m) {
    const ident: Ident = {
      name: m[1],
      email: m[2],
      timestamp: Number(m[3]),
      timezone: m[4],
      ...(latin1 ? { latin1: true } : {}),
    };
    if (bytesEqual(identBytes(ident), bytes)) return ident;
  }
  const odd = /^(.*?) ?<([^<>]*)> *(\d*) *(.*)$/s.exec(text);
  if (!odd) return null;
  return {
    name: odd[1],
    email: odd[2],
    timestamp: odd[3] === '' ? 0 : Number(odd[3]),
    timezone: odd[4],
    ...(latin1 ? { latin1: true } : {}),
    raw: bytes.slice(),
  };
}

export function formatIdent(ident: Ident): string {
  return `${ident.name} <${ident.email}> ${ident.timestamp} ${ident.timezone}`;
}

export function identBytes(ident: Ident): Uint8Array {
  if (ident.raw) return ident.raw;
  const text = formatIdent(ident);
  return ident.latin1 ? latin1Encode(text) : encoder.encode(text);
}

export function requireIdent(kind: string, bytes: Uint8Array): Ident {
  const ident = parseIdent(bytes);
  if (!ident) throw malformed(kind, 'bad identity line');
  return ident;
}

/** C git's `crud()` (ident.c): what is trimmed from both ends of a name or email. */
const CRUD = '.,:;<>"\\\'';

function isCrud(c: number): boolean {
  return c <= 32 || CRUD.includes(String.fromCharCode(c));
}

/**
 * A name or email made fit for an identity line as C git's `strbuf_addstr_without_crud` does:
 * the text ends at a NUL (a C string would), crud (controls, space, `.,:;<>"\'`) is trimmed from
 * both ends, and `<`, `>` and newlines, which delimit the line, are dropped from the middle.
 */
export function identPart(text: string): string {
  const nul = text.indexOf('\0');
  const s = nul >= 0 ? text.slice(0, nul) : text;
  let start = 0;
  let end = s.length;
  while (start < end && isCrud(s.charCodeAt(start))) start++;
  while (end > start && isCrud(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end).replace(/[<>\n]/g, '');
}
