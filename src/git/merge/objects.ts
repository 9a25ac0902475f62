/**
 * The objects a merge creates, collected in memory until the caller writes them as one pack.
 * Objects the database already has are not collected again (a merged blob often equals one a
 * side already stored).
 */

import { serializeTree, type TreeEntry } from '../object/tree';
import type { ObjectDatabase } from '../odb';
import { hashObject } from '../sha1';
import type { GitObject, ObjectType, Oid } from '../store';

export type MergeOdb = Pick<ObjectDatabase, 'read' | 'info' | 'has' | 'createSha1'>;

export class NewObjects {
  private readonly created = new Map<Oid, GitObject>();

  constructor(private readonly odb: MergeOdb) {}

  async add(type: ObjectType, data: Uint8Array): Promise<Oid> {
    const oid = hashObject(type, data, this.odb.createSha1);
    if (!this.created.has(oid) && !(await this.odb.has(oid))) this.created.set(oid, { type, data });
    return oid;
  }

  /** A new tree from entries in any order (sorted here as git requires). */
  async addTree(entries: TreeEntry[]): Promise<Oid> {
    return this.add('tree', serializeTree([...entries].sort(compareTreeEntries)));
  }

  /** An object made by this merge and not yet stored, so later steps can read it. */
  get(oid: Oid): GitObject | undefined {
    return this.created.get(oid);
  }

  /** Created objects, in creation order (blobs and trees before the commits that use them). */
  list(): GitObject[] {
    return [...this.created.values()];
  }
}

/** git's tree order: by name bytes, a subtree's name compared as if it ended in '/'. */
export function compareTreeEntries(x: TreeEntry, y: TreeEntry): number {
  const a = sortKey(x);
  const b = sortKey(y);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function sortKey(e: TreeEntry): Uint8Array {
  if (e.mode !== '40000' && e.mode !== '040000') return e.name;
  const k = new Uint8Array(e.name.length + 1);
  k.set(e.name);
  k[e.name.length] = 0x2f;
  return k;
}
