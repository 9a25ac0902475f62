/**
 * fsck of a tree: a port of git's `fsck_tree`, judging its entries (names, modes, order). Also
 * notes the `.gitmodules` and `.gitattributes` blobs the tree points to, which the caller then
 * checks as blobs.
 */
import { idHexAt } from '../oid';
import type { Oid } from '../store';
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

/**
 * Entries of a tree as offsets into its bytes, or null when it cannot be parsed (the rules of
 * `parseTree`). Offsets instead of parsed entries: a push checks every tree it brings, and names,
 * mode strings and hex ids per entry cost more than the checks themselves. The columns are typed
 * arrays reused from tree to tree (a tree is checked whole, synchronously): four growing arrays
 * per tree were a tenth of the garbage of indexing a push.
 */
interface ScannedTree {
  /** Entries scanned; the columns may be longer. */
  readonly count: number;
  readonly modes: Int32Array;
  readonly zeroPadded: Uint8Array;
  readonly nameStarts: Int32Array;
  /** The name ends at its NUL; the 20-byte id follows. */
  readonly nameEnds: Int32Array;
}

/** The reused columns, grown as a tree needs. */
let columns = newColumns(256);

function newColumns(n: number): Omit<ScannedTree, 'count'> {
  return {
    modes: new Int32Array(n),
    zeroPadded: new Uint8Array(n),
    nameStarts: new Int32Array(n),
    nameEnds: new Int32Array(n),
  };
}

function grown(c: Omit<ScannedTree, 'count'>): Omit<ScannedTree, 'count'> {
  const next = newColumns(c.modes.length * 2);
  next.modes.set(c.modes);
  next.zeroPadded.set(c.zeroPadded);
  next.nameStarts.set(c.nameStarts);
  next.nameEnds.set(c.nameEnds);
  return next;
}

function scanTree(data: Uint8Array): ScannedTree | null {
  let n = 0;
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space <= pos) return null;
    const nul = data.indexOf(0, space + 1);
    if (nul < 0 || nul + 21 > data.length) return null;
    let mode = 0;
    for (let i = pos; i < space; i++) {
      const d = data[i] - 0x30;
      if (d < 0 || d > 7) return null;
      mode = mode * 8 + d;
    }
    if (n === columns.modes.length) columns = grown(columns);
    // Long modes cannot be any good mode; cap instead of overflowing.
    columns.modes[n] = space - pos > 7 ? -1 : mode;
    columns.zeroPadded[n] = data[pos] === 0x30 ? 1 : 0;
    columns.nameStarts[n] = space + 1;
    columns.nameEnds[n] = nul;
    n++;
    pos = nul + 21;
  }
  return { count: n, ...columns };
}

function hasEmptyName(t: ScannedTree): boolean {
  for (let i = 0; i < t.count; i++) if (t.nameStarts[i] === t.nameEnds[i]) return true;
  return false;
}

/** What a tree's entries showed, as bits: one Set of strings per tree was most of the check. */
const NULL = 1;
const FULL = 2;
const DOT = 4;
const DOTDOT = 8;
const DOTGIT = 16;
const ZEROPAD = 32;
const BADMODE = 64;
const DUPS = 128;
const UNSORTED = 256;

export function fsckTree(data: Uint8Array, report: FsckReport, special: SpecialBlobs): void {
  const t = scanTree(data);
  if (t === null || hasEmptyName(t)) {
    report.add('BAD_TREE', 'cannot be parsed as a tree');
    return;
  }
  let flags = 0;
  const n = t.count;
  for (let i = 0; i < n; i++) {
    const mode = t.modes[i];
    const start = t.nameStarts[i];
    const end = t.nameEnds[i];
    const first = data[start];
    if (isNullOid(data, end + 1)) flags |= NULL;
    if (hasSlash(data, start, end)) flags |= FULL;
    if (first === 0x2e && end - start <= 2 && (end - start === 1 || data[start + 1] === 0x2e)) {
      flags |= end - start === 1 ? DOT : DOTDOT;
    }
    if (t.zeroPadded[i] === 1) flags |= ZEROPAD;
    // Only names starting with '.', 'g' or a non-ASCII byte can be (look-alikes of) .git names.
    if (first === 0x2e || first === 0x67 || first === 0x47 || first >= 0x80) {
      if (checkSpecialName(data, i, t, report, special)) flags |= DOTGIT;
    }
    // Odd modes (100664 in strict mode too) are findings; git only reports them as info.
    if (!GOOD_MODES.has(mode)) flags |= BADMODE;
    if (i > 0) {
      const order = compareEntries(data, t, i - 1, i);
      if (order === 'unordered') flags |= UNSORTED;
      else if (order === 'dup') flags |= DUPS;
    }
  }
  if (hasDuplicateNames(data, t, (flags & UNSORTED) !== 0)) flags |= DUPS;
  if (flags === 0) return;
  if (flags & NULL) report.add('NULL_SHA1', 'contains entries pointing to null sha1');
  if (flags & FULL) report.add('FULL_PATHNAME', 'contains full pathnames');
  if (flags & DOT) report.add('HAS_DOT', "contains '.'");
  if (flags & DOTDOT) report.add('HAS_DOTDOT', "contains '..'");
  if (flags & DOTGIT) report.add('HAS_DOTGIT', "contains '.git'");
  if (flags & ZEROPAD) report.add('ZERO_PADDED_FILEMODE', 'contains zero-padded file modes');
  if (flags & BADMODE) report.add('BAD_FILEMODE', 'contains bad file modes');
  if (flags & DUPS) report.add('DUPLICATE_ENTRIES', 'contains duplicate file entries');
  if (flags & UNSORTED) report.add('TREE_NOT_SORTED', 'not properly sorted');
}

function hasSlash(data: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (data[i] === 0x2f) return true;
  return false;
}

/** Notes special blobs; returns whether the name is (a look-alike of) `.git`. */
function checkSpecialName(
  data: Uint8Array,
  i: number,
  t: ScannedTree,
  report: FsckReport,
  special: SpecialBlobs,
): boolean {
  const end = t.nameEnds[i];
  const name = data.subarray(t.nameStarts[i], end);
  const isLink = (t.modes[i] & S_IFMT) === S_IFLNK;
  if (isDotgitmodules(name)) {
    if (isLink) report.add('GITMODULES_SYMLINK', '.gitmodules is a symbolic link');
    else special.gitmodules.add(idHexAt(data, end + 1));
  }
  if (isDotgitattributes(name)) {
    if (isLink) report.add('GITATTRIBUTES_SYMLINK', '.gitattributes is a symlink');
    else special.gitattributes.add(idHexAt(data, end + 1));
  }
  return isDotgit(name);
}

function isNullOid(data: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 20; i++) if (data[i] !== 0) return false;
  return true;
}

/** Order of git's `verify_ordered` for entries `a` and `b`: 'unordered', 'dup' or 'ok'. */
function compareEntries(data: Uint8Array, t: ScannedTree, a: number, b: number): 'ok' | 'unordered' | 'dup' {
  const s1 = t.nameStarts[a];
  const s2 = t.nameStarts[b];
  const l1 = t.nameEnds[a] - s1;
  const l2 = t.nameEnds[b] - s2;
  const len = Math.min(l1, l2);
  for (let i = 0; i < len; i++) {
    if (data[s1 + i] < data[s2 + i]) return 'ok';
    if (data[s1 + i] > data[s2 + i]) return 'unordered';
  }
  if (l1 === l2) return 'dup';
  // A directory sorts as if its name ended with '/'.
  const c1 = l1 > len ? data[s1 + len] : (t.modes[a] & S_IFMT) === S_IFDIR ? 0x2f : 0;
  const c2 = l2 > len ? data[s2 + len] : (t.modes[b] & S_IFMT) === S_IFDIR ? 0x2f : 0;
  return c1 < c2 ? 'ok' : 'unordered';
}

function sameName(data: Uint8Array, t: ScannedTree, a: number, b: number): boolean {
  const s1 = t.nameStarts[a];
  const s2 = t.nameStarts[b];
  const len = t.nameEnds[a] - s1;
  if (t.nameEnds[b] - s2 !== len) return false;
  for (let i = 0; i < len; i++) if (data[s1 + i] !== data[s2 + i]) return false;
  return true;
}

/** Whether entry `a`'s name starts with entry `b`'s name. */
function startsWithName(data: Uint8Array, t: ScannedTree, a: number, b: number): boolean {
  const len = t.nameEnds[b] - t.nameStarts[b];
  if (t.nameEnds[a] - t.nameStarts[a] < len) return false;
  for (let i = 0; i < len; i++) if (data[t.nameStarts[a] + i] !== data[t.nameStarts[b] + i]) return false;
  return true;
}

/**
 * Two entries of one name, adjacent or not. In a sorted tree a blob "a" and a tree "a" need not
 * be adjacent ("a", "a.c", "a/"), but everything between them starts with "a": look back from
 * each tree over the entries its name prefixes. An unsorted tree is compared name by name.
 */
function hasDuplicateNames(data: Uint8Array, t: ScannedTree, unsorted: boolean): boolean {
  const n = t.count;
  if (unsorted) {
    const latin1 = new TextDecoder('latin1');
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const key = latin1.decode(data.subarray(t.nameStarts[i], t.nameEnds[i]));
      if (seen.has(key)) return true;
      seen.add(key);
    }
    return false;
  }
  for (let i = 1; i < n; i++) {
    if ((t.modes[i] & S_IFMT) !== S_IFDIR) continue;
    for (let j = i - 1; j >= 0 && startsWithName(data, t, j, i); j--) {
      if (sameName(data, t, j, i)) return true;
    }
  }
  return false;
}
