/**
 * Tree entry names that some filesystem would take for `.git` (or `.gitmodules`, ...):
 * case-insensitive matches, NTFS trailing dots/spaces and 8.3 short names (`git~1`), and HFS+
 * names padded with code points HFS+ ignores. Ports of git's `is_hfs_dot*` / `is_ntfs_dot*`.
 */

/** Code points HFS+ drops when comparing names (zero-width joiners, direction marks, BOM). */
function hfsIgnorable(cp: number): boolean {
  return (
    (cp >= 0x200c && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x206a && cp <= 0x206f) ||
    cp === 0xfeff
  );
}

/**
 * Decodes the next UTF-8 code point at `pos`, skipping HFS-ignorable ones. Returns the code
 * point (0 at the end or on invalid UTF-8, as git's `next_hfs_char` does) and the new position.
 */
function nextHfsChar(name: Uint8Array, pos: number): [number, number] {
  for (;;) {
    if (pos >= name.length) return [0, pos];
    const b = name[pos];
    let cp: number;
    let len: number;
    if (b < 0x80) [cp, len] = [b, 1];
    else if ((b & 0xe0) === 0xc0) [cp, len] = [b & 0x1f, 2];
    else if ((b & 0xf0) === 0xe0) [cp, len] = [b & 0x0f, 3];
    else if ((b & 0xf8) === 0xf0) [cp, len] = [b & 0x07, 4];
    else return [0, name.length];
    if (pos + len > name.length) return [0, name.length];
    for (let i = 1; i < len; i++) {
      const c = name[pos + i];
      if ((c & 0xc0) !== 0x80) return [0, name.length];
      cp = (cp << 6) | (c & 0x3f);
    }
    pos += len;
    if (!hfsIgnorable(cp)) return [cp, pos];
  }
}

function isDirSep(c: number): boolean {
  return c === 0x2f || c === 0x5c;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function isHfsDot(name: Uint8Array, needle: string): boolean {
  let [c, pos] = nextHfsChar(name, 0);
  if (c !== 0x2e) return false;
  for (let i = 0; i < needle.length; i++) {
    [c, pos] = nextHfsChar(name, pos);
    if (c > 127 || lower(c) !== needle.charCodeAt(i)) return false;
  }
  [c, pos] = nextHfsChar(name, pos);
  return c === 0 || isDirSep(c);
}

/** From `i` on, only dots and spaces until the end or a `:` (an NTFS stream name). */
function onlySpacesAndPeriods(name: Uint8Array, i: number): boolean {
  for (; i < name.length; i++) {
    const c = name[i];
    if (c === 0x3a) return true;
    if (c !== 0x20 && c !== 0x2e) return false;
  }
  return true;
}

function matchesCaseless(name: Uint8Array, at: number, needle: string): boolean {
  if (at + needle.length > name.length) return false;
  for (let i = 0; i < needle.length; i++) if (lower(name[at + i]) !== needle.charCodeAt(i)) return false;
  return true;
}

/** git's `is_ntfs_dot_generic`: `.name` with trailing junk, `name6~N`, or the hashed short name. */
function isNtfsDotGeneric(name: Uint8Array, dotName: string, shortPrefix: string): boolean {
  if (name[0] === 0x2e && matchesCaseless(name, 1, dotName))
    return onlySpacesAndPeriods(name, dotName.length + 1);
  if (
    matchesCaseless(name, 0, dotName.slice(0, 6)) &&
    name[6] === 0x7e &&
    name[7] >= 0x31 &&
    name[7] <= 0x34
  ) {
    return onlySpacesAndPeriods(name, 8);
  }
  let sawTilde = false;
  for (let i = 0; i < 8; i++) {
    if (i >= name.length) return false;
    const c = name[i];
    if (sawTilde) {
      if (c < 0x30 || c > 0x39) return false;
    } else if (c === 0x7e) {
      i++;
      if (i >= name.length || name[i] < 0x31 || name[i] > 0x39) return false;
      sawTilde = true;
    } else if (i >= 6 || c & 0x80 || lower(c) !== shortPrefix.charCodeAt(i)) {
      return false;
    }
  }
  return onlySpacesAndPeriods(name, 8);
}

/** git's `is_ntfs_dotgit`: `.git` or `git~1`, any case, then only dots/spaces (or a separator or `:`). */
function isNtfsDotgit(name: Uint8Array): boolean {
  let i: number;
  if (name[0] === 0x2e && matchesCaseless(name, 1, 'git')) i = 4;
  else if (matchesCaseless(name, 0, 'git~1')) i = 5;
  else return false;
  for (; i < name.length; i++) {
    const c = name[i];
    if (isDirSep(c) || c === 0x3a) return true;
    if (c !== 0x2e && c !== 0x20) return false;
  }
  return true;
}

export function isDotgit(name: Uint8Array): boolean {
  return isHfsDot(name, 'git') || isNtfsDotgit(name);
}

export function isDotgitmodules(name: Uint8Array): boolean {
  return isHfsDot(name, 'gitmodules') || isNtfsDotGeneric(name, 'gitmodules', 'gi7eba');
}

export function isDotgitattributes(name: Uint8Array): boolean {
  return isHfsDot(name, 'gitattributes') || isNtfsDotGeneric(name, 'gitattributes', 'gi7d29');
}
