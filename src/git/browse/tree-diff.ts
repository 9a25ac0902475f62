/**
 * Differences between two trees as a flat list of file changes, with exact renames (a deleted
 * and an added file with the same blob id) paired up as git does before similarity matching.
 */
import type { Oid } from '../store';
import { type BrowseOdb, type NamedEntry, readTree } from './objects';

export type ChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'typechange';

export interface FileChange {
  readonly status: ChangeStatus;
  /** Path before (null when added). */
  readonly oldPath: string | null;
  /** Path after (null when deleted). */
  readonly newPath: string | null;
  readonly oldOid: Oid | null;
  readonly newOid: Oid | null;
  readonly oldMode: string | null;
  readonly newMode: string | null;
}

/** Changed files beyond this are not listed (a commit that rewrites a huge tree). */
export const MAX_CHANGES = 3_000;

interface Side {
  readonly path: string;
  readonly entry: NamedEntry;
}

async function entriesOf(odb: BrowseOdb, tree: Oid | null): Promise<NamedEntry[]> {
  return tree === null ? [] : readTree(odb, tree);
}

async function walk(
  odb: BrowseOdb,
  a: Oid | null,
  b: Oid | null,
  prefix: string,
  out: { added: Side[]; deleted: Side[]; changes: FileChange[] },
): Promise<void> {
  if (a === b) return;
  const left = new Map((await entriesOf(odb, a)).map((e) => [e.name, e]));
  const right = new Map((await entriesOf(odb, b)).map((e) => [e.name, e]));
  const names = [...new Set([...left.keys(), ...right.keys()])].sort();
  for (const name of names) {
    if (out.changes.length + out.added.length + out.deleted.length > MAX_CHANGES) return;
    const l = left.get(name);
    const r = right.get(name);
    const path = prefix + name;
    if (l && r && l.oid === r.oid && l.mode === r.mode) continue;
    const lTree = l?.kind === 'tree';
    const rTree = r?.kind === 'tree';
    if (lTree || rTree) {
      await walk(
        odb,
        lTree ? (l as NamedEntry).oid : null,
        rTree ? (r as NamedEntry).oid : null,
        `${path}/`,
        out,
      );
      // A file replaced by a directory (or back): the file side is a plain add or delete.
      if (l && !lTree) out.deleted.push({ path, entry: l });
      if (r && !rTree) out.added.push({ path, entry: r });
      continue;
    }
    if (l && r) {
      const typechange = modeClass(l.mode) !== modeClass(r.mode);
      out.changes.push({
        status: typechange ? 'typechange' : 'modified',
        oldPath: path,
        newPath: path,
        oldOid: l.oid,
        newOid: r.oid,
        oldMode: l.mode,
        newMode: r.mode,
      });
    } else if (l) out.deleted.push({ path, entry: l });
    else if (r) out.added.push({ path, entry: r });
  }
}

function modeClass(mode: string): string {
  if (mode === '120000') return 'link';
  if (mode === '160000') return 'gitlink';
  return 'file';
}

/** Changes from tree `a` to tree `b` (null for the empty tree), sorted by path. */
export async function diffTrees(
  odb: BrowseOdb,
  a: Oid | null,
  b: Oid | null,
): Promise<{ changes: FileChange[]; truncated: boolean }> {
  const out = { added: [] as Side[], deleted: [] as Side[], changes: [] as FileChange[] };
  await walk(odb, a, b, '', out);
  const byOid = new Map<Oid, Side[]>();
  for (const d of out.deleted) {
    const list = byOid.get(d.entry.oid) ?? [];
    list.push(d);
    byOid.set(d.entry.oid, list);
  }
  for (const add of out.added) {
    const candidates = byOid.get(add.entry.oid);
    const src = candidates?.shift();
    if (src) {
      out.changes.push({
        status: 'renamed',
        oldPath: src.path,
        newPath: add.path,
        oldOid: src.entry.oid,
        newOid: add.entry.oid,
        oldMode: src.entry.mode,
        newMode: add.entry.mode,
      });
      continue;
    }
    out.changes.push({
      status: 'added',
      oldPath: null,
      newPath: add.path,
      oldOid: null,
      newOid: add.entry.oid,
      oldMode: null,
      newMode: add.entry.mode,
    });
  }
  for (const list of byOid.values()) {
    for (const del of list) {
      out.changes.push({
        status: 'deleted',
        oldPath: del.path,
        newPath: null,
        oldOid: del.entry.oid,
        newOid: null,
        oldMode: del.entry.mode,
        newMode: null,
      });
    }
  }
  const key = (c: FileChange): string => (c.newPath ?? c.oldPath) as string;
  out.changes.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return { changes: out.changes, truncated: out.changes.length > MAX_CHANGES };
}
