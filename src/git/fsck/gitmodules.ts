/**
 * fsck of `.gitmodules` blobs (git's `fsck_gitmodules_fn`): submodule names that climb out
 * with `..`, and urls, paths and update commands that a later `git submodule` would run or pass
 * as an option (CVE-2017-1000117, CVE-2018-11235, CVE-2019-19604, CVE-2020-11008).
 */
import { parseConfig } from './config';
import type { FsckReport } from './findings';

/** git's `core.bigFileThreshold` default: larger `.gitmodules` blobs are refused unread. */
export const GITMODULES_MAX_BYTES = 512 * 1024 * 1024;

const isSep = (c: string | undefined): boolean => c === '/' || c === '\\';

/** git's `check_submodule_name`: no empty name and no `..` path component. */
export function badSubmoduleName(name: string): boolean {
  if (name === '') return true;
  for (let i = -1; i < name.length; i++) {
    if (i >= 0 && !isSep(name[i])) continue;
    if (name[i + 1] === '.' && name[i + 2] === '.' && (i + 3 >= name.length || isSep(name[i + 3])))
      return true;
  }
  return false;
}

function urlDecode(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

function isRelative(url: string): boolean {
  return url.startsWith('./') || url.startsWith('../');
}

/** git's `check_submodule_url`, without its full credential-URL parser (hosts are checked simply). */
export function badSubmoduleUrl(url: string): boolean {
  if (url.startsWith('-')) return true;
  if (isRelative(url) || url.startsWith('git://')) {
    if (urlDecode(url).includes('\n')) return true;
    // Leading "../" runs that end in ':' or '/' can rewrite the host (CVE-2020-11008).
    let rest = url;
    let dotdots = 0;
    for (;;) {
      if (rest.startsWith('./')) rest = rest.slice(2);
      else if (rest.startsWith('../')) {
        rest = rest.slice(3);
        dotdots++;
      } else break;
    }
    return dotdots > 0 && (rest.startsWith(':') || rest.startsWith('/'));
  }
  const m = /^(?:[a-z][a-z0-9+.-]*::)?(https?|ftps?):\/\/([^/?#]*)/i.exec(url);
  if (m) {
    const authority = urlDecode(m[2]);
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    return host === '' || /[\n\r\0]/.test(urlDecode(url));
  }
  return false;
}

export function fsckGitmodules(data: Uint8Array, report: FsckReport): void {
  if (data.length > GITMODULES_MAX_BYTES) {
    report.add('GITMODULES_LARGE', '.gitmodules too large to parse');
    return;
  }
  const parsed = parseConfig(new TextDecoder().decode(data));
  for (const e of parsed.entries) {
    if (e.section !== 'submodule' || e.subsection === null) continue;
    if (badSubmoduleName(e.subsection))
      report.add('GITMODULES_NAME', `disallowed submodule name: ${e.subsection}`);
    if (e.value === null) continue;
    if (e.key === 'url' && badSubmoduleUrl(e.value))
      report.add('GITMODULES_URL', `disallowed submodule url: ${e.value}`);
    if (e.key === 'path' && e.value.startsWith('-'))
      report.add('GITMODULES_PATH', `disallowed submodule path: ${e.value}`);
    if (e.key === 'update' && e.value.startsWith('!')) {
      report.add('GITMODULES_UPDATE', `disallowed submodule update setting: ${e.value}`);
    }
  }
  // git's wording (the reason is not part of it: its config parser only prints it to stderr).
  if (parsed.error) report.add('GITMODULES_PARSE', 'could not parse gitmodules blob');
}
