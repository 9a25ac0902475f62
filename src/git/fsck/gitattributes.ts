/**
 * fsck of `.gitattributes` blobs: git refuses files and lines too large to parse safely
 * (its limits from CVE-2022-23521).
 */
import type { FsckReport } from './findings';

export const ATTR_MAX_FILE_BYTES = 100 * 1024 * 1024;
export const ATTR_MAX_LINE_BYTES = 2048;

export function fsckGitattributes(data: Uint8Array, report: FsckReport): void {
  if (data.length > ATTR_MAX_FILE_BYTES) {
    report.add('GITATTRIBUTES_LARGE', '.gitattributes too large to parse');
    return;
  }
  let start = 0;
  while (start <= data.length) {
    let eol = data.indexOf(0x0a, start);
    if (eol < 0) eol = data.length;
    if (eol - start >= ATTR_MAX_LINE_BYTES) {
      report.add('GITATTRIBUTES_LINE_LENGTH', '.gitattributes has too long lines to parse');
      return;
    }
    start = eol + 1;
  }
}
