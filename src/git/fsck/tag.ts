/** fsck of an annotated tag: a port of git's `fsck_tag_standalone`. */
import { isValidRefName } from '../refname';
import type { FsckReport } from './findings';
import { oidLine, skipPrefix, verifyHeaders } from './headers';
import { fsckIdent } from './ident';

const LF = 0x0a;
const TYPES = new Set(['commit', 'tree', 'blob', 'tag']);

export function fsckTag(data: Uint8Array, report: FsckReport): void {
  if (!verifyHeaders(data, report)) return;
  let pos = skipPrefix(data, 0, 'object ');
  if (pos < 0) {
    report.add('MISSING_OBJECT', "invalid format - expected 'object' line");
    return;
  }
  const after = oidLine(data, pos);
  if (after < 0) {
    report.add('BAD_OBJECT_SHA1', "invalid 'object' line format - bad sha1");
    return;
  }
  pos = skipPrefix(data, after, 'type ');
  if (pos < 0) {
    report.add('MISSING_TYPE_ENTRY', "invalid format - expected 'type' line");
    return;
  }
  let eol = data.indexOf(LF, pos);
  if (eol < 0) {
    report.add('MISSING_TYPE', "invalid format - unexpected end after 'type' line");
    return;
  }
  if (!TYPES.has(new TextDecoder('latin1').decode(data.subarray(pos, eol)))) {
    report.add('BAD_TYPE', "invalid 'type' value");
    return;
  }
  pos = skipPrefix(data, eol + 1, 'tag ');
  if (pos < 0) {
    report.add('MISSING_TAG_ENTRY', "invalid format - expected 'tag' line");
    return;
  }
  eol = data.indexOf(LF, pos);
  if (eol < 0) {
    report.add('MISSING_TAG', "invalid format - unexpected end after 'type' line");
    return;
  }
  const name = new TextDecoder('latin1').decode(data.subarray(pos, eol));
  if (!isValidRefName(`refs/tags/${name}`)) report.add('BAD_TAG_NAME', `invalid 'tag' name: ${name}`);
  pos = eol + 1;
  const tagger = skipPrefix(data, pos, 'tagger ');
  if (tagger < 0) {
    // Early tags have no tagger line; git only notes it.
    report.add('MISSING_TAGGER_ENTRY', "invalid format - expected 'tagger' line");
    return;
  }
  const r = fsckIdent(data, tagger, report);
  if (!r.ok) return;
  if (r.next < data.length && data[r.next] !== LF) {
    report.add('EXTRA_HEADER_ENTRY', "invalid format - extra header(s) after 'tagger'");
  }
}
