/** fsck of a commit: a port of git's `fsck_commit` (the order and wording of its checks). */
import type { FsckReport } from './findings';
import { oidLine, skipPrefix, verifyHeaders } from './headers';
import { fsckIdent } from './ident';

export function fsckCommit(data: Uint8Array, report: FsckReport): void {
  if (!verifyHeaders(data, report)) return;
  let pos = skipPrefix(data, 0, 'tree ');
  if (pos < 0) {
    report.add('MISSING_TREE', "invalid format - expected 'tree' line");
    return;
  }
  let after = oidLine(data, pos);
  if (after < 0) {
    report.add('BAD_TREE_SHA1', "invalid 'tree' line format - bad sha1");
    return;
  }
  pos = after;
  for (let p = skipPrefix(data, pos, 'parent '); p >= 0; p = skipPrefix(data, pos, 'parent ')) {
    after = oidLine(data, p);
    if (after < 0) {
      report.add('BAD_PARENT_SHA1', "invalid 'parent' line format - bad sha1");
      return;
    }
    pos = after;
  }
  let authors = 0;
  for (let p = skipPrefix(data, pos, 'author '); p >= 0; p = skipPrefix(data, pos, 'author ')) {
    authors++;
    const r = fsckIdent(data, p, report);
    if (!r.ok) return;
    pos = r.next;
  }
  if (authors < 1) {
    report.add('MISSING_AUTHOR', "invalid format - expected 'author' line");
    return;
  }
  if (authors > 1) {
    report.add('MULTIPLE_AUTHORS', "invalid format - multiple 'author' lines");
    return;
  }
  const c = skipPrefix(data, pos, 'committer ');
  if (c < 0) {
    report.add('MISSING_COMMITTER', "invalid format - expected 'committer' line");
    return;
  }
  if (!fsckIdent(data, c, report).ok) return;
  if (data.indexOf(0) >= 0) report.add('NUL_IN_COMMIT', 'NUL byte in the commit object body');
}
