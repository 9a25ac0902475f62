/** fsck of an identity line (author, committer, tagger): a port of git's `fsck_ident`. */
import type { FsckReport } from './findings';

const LF = 0x0a;
const LT = 0x3c;
const GT = 0x3e;
const SP = 0x20;

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Whitespace as C's isspace (strtoumax skips it before the number). */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** The largest timestamp git accepts (its `date_overflows` on a 64-bit time_t). */
const TIME_MAX = 2n ** 63n - 1n;

/**
 * Checks the identity starting at `start` (just after `author `); returns where the next line
 * starts, and `ok` false when a finding rejects the object. `buf` is the object's header part, which always ends with LF (checked beforehand).
 */
export function fsckIdent(buf: Uint8Array, start: number, report: FsckReport): { next: number; ok: boolean } {
  let eol = buf.indexOf(LF, start);
  if (eol < 0) eol = buf.length;
  const next = Math.min(eol + 1, buf.length);
  const at = (i: number): number => (i < eol ? buf[i] : LF);
  // As git's fsck_ident, the first finding ends the line's checks; a finding accepted as a
  // warning lets the object's checks go on (`ok`).
  const fail = (id: Parameters<FsckReport['add']>[0], what: string) => {
    const fatal = report.add(id, `invalid author/committer line - ${what}`);
    return { next, ok: !fatal };
  };
  let p = start;
  if (at(p) === LT) return fail('MISSING_NAME_BEFORE_EMAIL', 'missing space before email');
  while (at(p) !== LT && at(p) !== GT && at(p) !== LF) p++;
  if (at(p) === GT) return fail('BAD_NAME', 'bad name');
  if (at(p) !== LT) return fail('MISSING_EMAIL', 'missing email');
  if (buf[p - 1] !== SP) return fail('MISSING_SPACE_BEFORE_EMAIL', 'missing space before email');
  p++;
  while (at(p) !== LT && at(p) !== GT && at(p) !== LF) p++;
  if (at(p) !== GT) return fail('BAD_EMAIL', 'bad email');
  p++;
  if (at(p) !== SP) return fail('MISSING_SPACE_BEFORE_DATE', 'missing space before date');
  p++;
  if (at(p) === 0x30 && at(p + 1) !== SP) return fail('ZERO_PADDED_DATE', 'zero-padded date');
  // strtoumax: optional whitespace and sign, then digits.
  let q = p;
  while (q < eol && isSpace(at(q))) q++;
  let negative = false;
  if (at(q) === 0x2b || at(q) === 0x2d) {
    negative = at(q) === 0x2d;
    q++;
  }
  const digitsStart = q;
  while (isDigit(at(q))) q++;
  if (q > digitsStart) {
    const value = BigInt(new TextDecoder().decode(buf.subarray(digitsStart, q)));
    if (negative || value > TIME_MAX) return fail('BAD_DATE_OVERFLOW', 'date causes integer overflow');
  }
  const end = q > digitsStart ? q : p;
  if (end === p || at(end) !== SP) return fail('BAD_DATE', 'bad date');
  p = end + 1;
  const sign = at(p);
  if (
    (sign !== 0x2b && sign !== 0x2d) ||
    ![1, 2, 3, 4].every((k) => isDigit(at(p + k))) ||
    at(p + 5) !== LF
  ) {
    return fail('BAD_TIMEZONE', 'bad time zone');
  }
  return { next, ok: true };
}
