/**
 * fsck of a tree: a port of git's `fsck_tree`. Entries are read through the tree parser; what
 * fsck adds is judging them (names, modes, order). Also notes the `.gitmodules` and
 * `.gitattributes` blobs the tree points to, which the caller then checks as blobs.
 */
import { isGitError } from '../errors';
import { parseTree, type TreeEntry } from '../object/tree';
import { type Oid, ZERO_OID } from '../store';
import type { FsckReport } from './findings';
import { isDotgit, isDotgitattributes, isDotgitmodules } from './names';

export interface SpecialBlobs {
  /** Blobs named `.gitmodules` (or a filesystem look-alike) by a checked tree. */
  readonly gitmodules: Set<Oid>;
  readonly gitattributes: Set<Oid>;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const GOOD_MODES = new Set([0o100755, 0o100644, 0o120000, 0o040000, 0o160000]);

/** Order of git's `verify_ordered`: 'unordered', 'dup' or 'ok' for consecutive entries. */
function compareEntries(m1: number, n1: Uint8Array, m2: number, n2: Uint8Array): 'ok' | 'unordered' | 'dup' {
  const len = Math.min(n1.length, n2.length);
  for (let i = 0; i < len; i++) {
    if (n1[i] < n2[i]) return 'ok';
    if (n1[i] > n2[i]) return 'unordered';
  }
  if (n1.length === n2.length) return 'dup';
  // A directory sorts as if its name ended with '/'.
  const c1 = n1.length > len ? n1[len] : (m1 & S_IFMT) === S_IFDIR ? 0x2f : 0;
  const c2 = n2.length > len ? n2[len] : (m2 & S_IFMT) === S_IFDIR ? 0x2f : 0;
  return c1 < c2 ? 'ok' : 'unordered';
}

function modeValue(mode: string): number {
  // Long modes cannot be any good mode; cap instead of overflowing.
  return mode.length > 7 ? -1 : Number.parseInt(mode || '0', 8);
}

function nameEquals(name: Uint8Array, text: string): boolean {
  return name.length === text.length && [...name].every((b, i) => b === text.charCodeAt(i));
}

export function fsckTree(data: Uint8Array, report: FsckReport, special: SpecialBlobs): void {
  let entries: TreeEntry[];
  try {
    entries = parseTree(data);
  } catch (e) {
    if (!isGitError(e)) throw e;
    report.add('BAD_TREE', 'cannot be parsed as a tree');
    return;
  }
  const flags = new Set<string>();
  const seen = new Set<string>();
  const latin1 = new TextDecoder('latin1');
  let prev: { mode: number; name: Uint8Array } | null = null;
  for (const e of entries) {
    const mode = modeValue(e.mode);
    const name = e.name;
    if (name.length === 0) {
      report.add('BAD_TREE', 'cannot be parsed as a tree');
      return;
    }
    if (e.oid === ZERO_OID) flags.add('null');
    if (name.includes(0x2f)) flags.add('full');
    if (nameEquals(name, '.')) flags.add('dot');
    if (nameEquals(name, '..')) flags.add('dotdot');
    if (isDotgit(name)) flags.add('dotgit');
    if (e.mode.startsWith('0')) flags.add('zeropad');
    const isLink = (mode & S_IFMT) === S_IFLNK;
    if (isDotgitmodules(name)) {
      if (isLink) report.add('GITMODULES_SYMLINK', '.gitmodules is a symbolic link');
      else special.gitmodules.add(e.oid);
    }
    if (isDotgitattributes(name)) {
      if (isLink) report.add('GITATTRIBUTES_SYMLINK', '.gitattributes is a symlink');
      else special.gitattributes.add(e.oid);
    }
    // Odd modes (100664 in strict mode too) are findings; git only reports them as info.
    if (!GOOD_MODES.has(mode)) flags.add('badmode');
    if (prev) {
      const order = compareEntries(prev.mode, prev.name, mode, name);
      if (order === 'unordered') flags.add('unsorted');
      else if (order === 'dup') flags.add('dups');
    }
    // A blob and a tree of one name need not be adjacent ("a", "a.c", "a/").
    const key = latin1.decode(name);
    if (seen.has(key)) flags.add('dups');
    seen.add(key);
    prev = { mode, name };
  }
  if (flags.has('null')) report.add('NULL_SHA1', 'contains entries pointing to null sha1');
  if (flags.has('full')) report.add('FULL_PATHNAME', 'contains full pathnames');
  if (flags.has('dot')) report.add('HAS_DOT', "contains '.'");
  if (flags.has('dotdot')) report.add('HAS_DOTDOT', "contains '..'");
  if (flags.has('dotgit')) report.add('HAS_DOTGIT', "contains '.git'");
  if (flags.has('zeropad')) report.add('ZERO_PADDED_FILEMODE', 'contains zero-padded file modes');
  if (flags.has('badmode')) report.add('BAD_FILEMODE', 'contains bad file modes');
  if (flags.has('dups')) report.add('DUPLICATE_ENTRIES', 'contains duplicate file entries');
  if (flags.has('unsorted')) report.add('TREE_NOT_SORTED', 'not properly sorted');
}
