import { describe, expect, it } from 'vitest';
import { fsckObject } from './object';
import type { SpecialBlobs } from './tree';

const enc = new TextEncoder();
const OID = '0'.repeat(40);

/** A tree of `names` (already in git's order), each a blob with a nonzero id. */
function tree(names: readonly string[]): Uint8Array {
  const parts: number[] = [];
  for (const [i, name] of names.entries()) {
    parts.push(...enc.encode(`100644 ${name}\0`));
    for (let k = 0; k < 20; k++) parts.push((i + k + 1) & 0xff || 1);
  }
  return Uint8Array.from(parts);
}

function findings(data: Uint8Array): string[] {
  const special: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() };
  return fsckObject(OID, 'tree', data, special).map((f) => f.id);
}

/** Names f0000..f(n-1), sorted as git sorts them. */
const names = (n: number) => Array.from({ length: n }, (_, i) => `f${String(i).padStart(4, '0')}`);

describe('fsck of big trees (columns reused from tree to tree)', () => {
  it('judges entries past the first columns as the first ones', () => {
    const many = names(1500);
    expect(findings(tree(many))).toEqual([]);
    const dup = [...many.slice(0, 1200), many[1199], ...many.slice(1200)];
    expect(findings(tree(dup))).toEqual(['DUPLICATE_ENTRIES']);
    const unsorted = [...many.slice(0, 1300), many[1400], ...many.slice(1300, 1400), ...many.slice(1401)];
    expect(findings(tree(unsorted))).toEqual(['TREE_NOT_SORTED']);
  });

  it('forgets a bigger tree checked before a smaller one', () => {
    expect(findings(tree(['.git', ...names(900)]))).toEqual(['HAS_DOTGIT']);
    expect(findings(tree(names(3)))).toEqual([]);
    expect(findings(tree(['.git']))).toEqual(['HAS_DOTGIT']);
  });
});
