/**
 * The API's "git data" reads, object by object as Gitea's `/git/*` endpoints answer them: refs
 * with the type of the object each names, a tree listed (recursively, paged) as `git ls-tree -r
 * -t -l` lists it, and a blob's bytes up to a cap. Everything is bounded: a tree listing stops
 * after MAX_TREE_ENTRIES entries, a blob over the cap is described without its content.
 */

import { parseCommit } from '../object/commit';
import { entryKind, parseTree } from '../object/tree';
import type { ObjectDatabase } from '../odb';
import type { ObjectType, Oid, RefStore } from '../store';
import { BrowseError } from './errors';
import { resolveCommitish } from './resolve-ref';

/** Entries a tree listing walks at most (a recursive listing of a huge tree is cut there). */
export const MAX_TREE_ENTRIES = 100_000;

export interface RefObject {
  /** Full ref name (`refs/heads/main`). */
  readonly name: string;
  readonly oid: Oid;
  readonly type: ObjectType;
}

export interface GitTreeEntry {
  readonly path: string;
  /** Six octal digits, as Gitea prints them (`040000`, `100644`). */
  readonly mode: string;
  readonly type: 'tree' | 'blob' | 'commit';
  readonly oid: Oid;
  /** Blob size; 0 for trees and submodules. */
  readonly size: number;
}

export interface GitTreeListing {
  readonly tree: Oid;
  readonly entries: GitTreeEntry[];
  readonly page: number;
  /** Entries in the whole listing (at most MAX_TREE_ENTRIES). */
  readonly total: number;
  /** More entries exist than one page holds (Gitea's sense), or the walk was cut. */
  readonly truncated: boolean;
}

export interface GitBlob {
  readonly oid: Oid;
  readonly size: number;
  /** Null when the blob is larger than the cap. */
  readonly bytes: Uint8Array | null;
}

const OID = /^[0-9a-f]{40}$/;

/** Refs under `prefix` ('' for all), with the type of the object each names. */
export async function refObjects(odb: ObjectDatabase, refs: RefStore, prefix: string): Promise<RefObject[]> {
  const out: RefObject[] = [];
  for (const r of await refs.list()) {
    if (!r.name.startsWith(prefix)) continue;
    const info = await odb.info(r.oid);
    if (info) out.push({ name: r.name, oid: r.oid, type: info.type });
  }
  return out;
}

/** The tree `id` names: a tree id, a commit or tag id (its tree), or a branch or tag name. */
async function resolveTree(odb: ObjectDatabase, refs: RefStore, id: string): Promise<Oid> {
  let oid = OID.test(id) ? id : null;
  if (oid === null || !(await odb.has(oid))) {
    oid = (await resolveCommitish(odb, await refs.list(), id)).commit;
  }
  for (let depth = 0; depth < 10; depth++) {
    const obj = await odb.read(oid);
    if (obj === null) break;
    if (obj.type === 'tree') return oid;
    if (obj.type === 'commit') return parseCommit(obj.data).tree;
    if (obj.type !== 'tag') break;
    const m = /^object ([0-9a-f]{40})/.exec(new TextDecoder().decode(obj.data.subarray(0, 60)));
    if (!m) break;
    oid = m[1];
  }
  throw new BrowseError('REF_NOT_FOUND', `sha not found: ${id}`);
}

/** A page of the tree's entries (recursive: subtrees listed before their contents, full paths). */
export async function listGitTree(
  odb: ObjectDatabase,
  refs: RefStore,
  id: string,
  options: { readonly recursive: boolean; readonly page: number; readonly perPage: number },
): Promise<GitTreeListing> {
  const tree = await resolveTree(odb, refs, id);
  const all: Omit<GitTreeEntry, 'size'>[] = [];
  let cut = false;
  const walk = async (oid: Oid, prefix: string): Promise<void> => {
    const obj = await odb.read(oid);
    if (obj === null || obj.type !== 'tree') throw new BrowseError('REF_NOT_FOUND', `tree ${oid} not found`);
    for (const e of parseTree(obj.data)) {
      if (all.length >= MAX_TREE_ENTRIES) {
        cut = true;
        return;
      }
      const type = entryKind(e.mode);
      const path = prefix + new TextDecoder().decode(e.name);
      all.push({ path, mode: e.mode.padStart(6, '0'), type, oid: e.oid });
      if (type === 'tree' && options.recursive) await walk(e.oid, `${path}/`);
    }
  };
  await walk(tree, '');
  const start = options.perPage * (options.page - 1);
  const shown = all.slice(start, start + options.perPage);
  const entries: GitTreeEntry[] = [];
  for (const e of shown) {
    const size = e.type === 'blob' ? ((await odb.info(e.oid))?.size ?? 0) : 0;
    entries.push({ ...e, size });
  }
  return {
    tree,
    entries,
    page: options.page,
    total: all.length,
    truncated: cut || all.length > options.perPage,
  };
}

/** A blob by id; its bytes only when it is at most `maxBytes` (the size comes from the index). */
export async function readGitBlob(odb: ObjectDatabase, id: string, maxBytes: number): Promise<GitBlob> {
  const oid = id.toLowerCase();
  const info = OID.test(oid) ? await odb.info(oid) : null;
  if (info === null || info.type !== 'blob') throw new BrowseError('REF_NOT_FOUND', `blob ${id} not found`);
  if (info.size > maxBytes) return { oid, size: info.size, bytes: null };
  const obj = await odb.readRequired(oid);
  return { oid, size: info.size, bytes: obj.data };
}
