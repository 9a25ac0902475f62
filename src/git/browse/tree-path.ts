/** Finding what a path names inside a tree. */
import type { Oid } from '../store';
import { BrowseError } from './errors';
import { type BrowseOdb, type NamedEntry, readTree } from './objects';

/** A path split into its components; empty, `.` and `..` components are refused. */
export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return [];
  const parts = trimmed.split('/');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..') throw new BrowseError('BAD_REQUEST', `bad path '${path}'`);
  }
  return parts;
}

/** The entry at `path` below `root`; the root itself (path '') is reported as a tree entry. */
export async function findEntry(odb: BrowseOdb, root: Oid, path: string): Promise<NamedEntry | null> {
  const parts = splitPath(path);
  let cur: NamedEntry = { name: '', mode: '40000', oid: root, kind: 'tree' };
  for (const part of parts) {
    if (cur.kind !== 'tree') return null;
    const entries = await readTree(odb, cur.oid);
    const next = entries.find((e) => e.name === part);
    if (!next) return null;
    cur = next;
  }
  return cur;
}

/** The oid at `path` (null when absent), the cheap form used by history walks. */
export async function oidAtPath(odb: BrowseOdb, root: Oid, parts: readonly string[]): Promise<Oid | null> {
  let oid = root;
  for (let i = 0; i < parts.length; i++) {
    const entries = await readTree(odb, oid);
    const next = entries.find((e) => e.name === parts[i]);
    if (!next) return null;
    // Only trees have children; a file in the middle of the path means the path is absent.
    if (i < parts.length - 1 && next.kind !== 'tree') return null;
    oid = next.oid;
  }
  return oid;
}
