/** The files of a tree in archive order (depth first, tree order), read one at a time. */
import { readTree } from '../browse/objects';
import type { Oid } from '../store';
import type { WalkOdb } from '../walk/read';

export interface ArchiveEntry {
  /** Path inside the tree, `/`-separated; directories end without a slash. */
  readonly path: string;
  readonly kind: 'dir' | 'file' | 'symlink' | 'submodule';
  readonly mode: string;
  readonly oid: Oid;
}

export async function* treeFiles(odb: WalkOdb, root: Oid): AsyncGenerator<ArchiveEntry> {
  const stack: { oid: Oid; prefix: string }[] = [{ oid: root, prefix: '' }];
  while (stack.length > 0) {
    const { oid, prefix } = stack.pop() as { oid: Oid; prefix: string };
    const subdirs: { oid: Oid; prefix: string }[] = [];
    for (const e of await readTree(odb, oid)) {
      const path = prefix + e.name;
      if (e.kind === 'tree') {
        subdirs.push({ oid: e.oid, prefix: `${path}/` });
        continue;
      }
      if (e.kind === 'commit') yield { path, kind: 'submodule', mode: e.mode, oid: e.oid };
      else yield { path, kind: e.mode === '120000' ? 'symlink' : 'file', mode: e.mode, oid: e.oid };
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    // Each directory is listed before its content (which is popped from the stack later).
    for (const d of subdirs) yield { path: d.prefix.slice(0, -1), kind: 'dir', mode: '40000', oid: d.oid };
  }
}
