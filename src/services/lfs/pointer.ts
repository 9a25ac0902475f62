// Git LFS pointer files (git-lfs's spec v1): what git stores in place of a large file.

export interface LfsPointer {
  oid: string;
  size: number;
}

/** Pointers are small: git-lfs itself reads no further than this. */
export const MAX_POINTER_BYTES = 1024;

/** The pointer a blob's text holds, or null when it is not one. Keys after `version` are sorted
 * and unique per the spec; unknown keys are allowed. */
export function parseLfsPointer(text: string): LfsPointer | null {
  if (text.length > MAX_POINTER_BYTES || !text.endsWith('\n')) return null;
  const lines = text.slice(0, -1).split('\n');
  if (!/^version https:\/\/(git-lfs\.github\.com\/spec\/v1|hawser\.github\.com\/spec\/v1)$/.test(lines[0]))
    return null;
  let oid: string | null = null;
  let size: number | null = null;
  for (const line of lines.slice(1)) {
    const m = /^([a-z0-9.-]+) (.*)$/.exec(line);
    if (!m) return null;
    if (m[1] === 'oid') {
      const o = /^sha256:([0-9a-f]{64})$/.exec(m[2]);
      if (!o || oid !== null) return null;
      oid = o[1];
    } else if (m[1] === 'size') {
      if (!/^\d{1,16}$/.test(m[2]) || size !== null) return null;
      size = Number(m[2]);
    }
  }
  return oid !== null && size !== null && Number.isSafeInteger(size) ? { oid, size } : null;
}
