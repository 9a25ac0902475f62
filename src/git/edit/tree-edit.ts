/**
 * Editing a tree by path, as `git update-index` + `git write-tree` would: each change puts a
 * blob at a path (creating the directories on the way) or removes one (dropping directories left
 * empty). Only the trees on the changed paths are read and rewritten; the rest keep their ids.
 */

import { isDotgit } from '../fsck/names';
import { entryKind, parseTree, type TreeEntry } from '../object/tree';
import type { GitObject, Oid } from '../store';

export type FileMode = '100644' | '100755' | '120000';

export type TreeChange =
  | { readonly kind: 'put'; readonly path: string; readonly oid: Oid; readonly mode: FileMode }
  | { readonly kind: 'delete'; readonly path: string };

export type TreeEditErrorCode = 'INVALID_PATH' | 'NOT_A_DIRECTORY' | 'NOT_FOUND' | 'DUPLICATE_PATH';

export class TreeEditError extends Error {
  constructor(
    readonly code: TreeEditErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'TreeEditError';
  }
}

export interface TreeEditOdb {
  read(oid: Oid): Promise<GitObject | null>;
}

/** Where new trees go (the merge's NewObjects fits); returns the tree's id. */
export interface TreeSink {
  addTree(entries: TreeEntry[]): Promise<Oid>;
}

const encoder = new TextEncoder();

/** A name's bytes as a string of char codes 0-255: lossless, so names that are not UTF-8 stay apart. */
function byteKey(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** The segments of a repository path, or why it cannot name a file in a tree. */
export function pathSegments(path: string): string[] {
  const segments = path.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..')
      throw new TreeEditError('INVALID_PATH', path, `'${path}' is not a valid file path`);
    if (s.includes('\0')) throw new TreeEditError('INVALID_PATH', path, `'${path}' holds a NUL byte`);
    if (isDotgit(encoder.encode(s)))
      throw new TreeEditError(
        'INVALID_PATH',
        path,
        `'${path}' names git's own directory, which a tree may not hold`,
      );
  }
  return segments;
}

interface Pending {
  /** Changes to entries of this directory, by name. */
  readonly here: Map<string, TreeChange>;
  /** Changes below, by subdirectory name. */
  readonly below: Map<string, Pending>;
}

function emptyPending(): Pending {
  return { here: new Map(), below: new Map() };
}

/**
 * The tree `root` (null: an empty tree) with `changes` applied; new trees are written to `sink`.
 * A path twice, a directory in the way of a file (or a file in the way of a directory) and the
 * removal of a path that is not a file are refused with a TreeEditError.
 */
export async function editTree(
  odb: TreeEditOdb,
  root: Oid | null,
  changes: readonly TreeChange[],
  sink: TreeSink,
): Promise<Oid> {
  const top = emptyPending();
  const seen = new Set<string>();
  for (const change of changes) {
    const segments = pathSegments(change.path);
    const key = segments.join('/');
    if (seen.has(key))
      throw new TreeEditError('DUPLICATE_PATH', change.path, `'${change.path}' is changed twice`);
    seen.add(key);
    let at = top;
    for (const s of segments.slice(0, -1)) {
      let next = at.below.get(s);
      if (!next) {
        next = emptyPending();
        at.below.set(s, next);
      }
      at = next;
    }
    at.here.set(segments[segments.length - 1], change);
  }
  return (await editLevel(odb, root, top, '', sink)) ?? sink.addTree([]);
}

/** One directory rewritten; null when it ends up empty (git stores no empty directories). */
async function editLevel(
  odb: TreeEditOdb,
  tree: Oid | null,
  pending: Pending,
  prefix: string,
  sink: TreeSink,
): Promise<Oid | null> {
  const entries = new Map<string, TreeEntry>();
  if (tree !== null) {
    const obj = await odb.read(tree);
    if (obj === null || obj.type !== 'tree') throw new Error(`tree ${tree} is missing`);
    for (const e of parseTree(obj.data)) entries.set(byteKey(e.name), e);
  }
  for (const [name, change] of pending.here) {
    const path = prefix + name;
    const key = byteKey(encoder.encode(name));
    const existing = entries.get(key);
    if (pending.below.has(name))
      throw new TreeEditError('NOT_A_DIRECTORY', path, `'${path}' cannot be both a file and a directory`);
    if (existing && entryKind(existing.mode) === 'tree')
      throw new TreeEditError('NOT_A_DIRECTORY', path, `'${path}' is a directory`);
    if (change.kind === 'delete') {
      if (!existing) throw new TreeEditError('NOT_FOUND', path, `'${path}' does not exist`);
      entries.delete(key);
    } else {
      entries.set(key, { mode: change.mode, name: encoder.encode(name), oid: change.oid });
    }
  }
  for (const [name, sub] of pending.below) {
    const path = prefix + name;
    const key = byteKey(encoder.encode(name));
    const existing = entries.get(key);
    if (existing && entryKind(existing.mode) !== 'tree')
      throw new TreeEditError('NOT_A_DIRECTORY', path, `'${path}' is a file, not a directory`);
    const oid = await editLevel(odb, existing?.oid ?? null, sub, `${path}/`, sink);
    if (oid === null) entries.delete(key);
    else entries.set(key, { mode: '40000', name: encoder.encode(name), oid });
  }
  if (entries.size === 0) return null;
  return sink.addTree([...entries.values()]);
}
