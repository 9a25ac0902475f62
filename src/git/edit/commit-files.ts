/**
 * The contents API's write side, called by the repository's object: one commit on a branch that
 * creates, updates, renames or deletes files. New blobs, the changed trees and the commit are
 * stored as one pack, published with the branch's move in one compare-and-swap transaction
 * through the ref planner, under the branch's protection rules, as a push's are.
 */

import { findEntry } from '../browse/tree-path';
import type { IndexedPack } from '../cached-pack/layer';
import { messageBytes, writeCommit } from '../merge/commit-write';
import { type MergePackStore, storeObjects } from '../merge/merge-refs';
import { type MergeOdb, NewObjects } from '../merge/objects';
import { parseCommit } from '../object/commit';
import { type Ident, identPart } from '../object/ident';
import type { ObjectDatabase } from '../odb';
import { type Protection, protectionCheck } from '../protect/guard';
import { publishPack } from '../push/publish';
import type { CachedPackStore, Oid, RefStore } from '../store';
import { ZERO_OID } from '../store';
import { editTree, type FileMode, type TreeChange, TreeEditError } from './tree-edit';

export interface FileOperation {
  readonly operation: 'create' | 'update' | 'delete' | 'rename';
  readonly path: string;
  /** New content (create, update; optional for a rename, which then keeps the file's). */
  readonly content?: Uint8Array;
  /** The blob id the caller last saw (update, delete, rename). */
  readonly sha?: string;
  /** The file's current path, for a rename (or an update that moves it). */
  readonly fromPath?: string;
}

export interface CommitPerson {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch. */
  readonly time: number;
  /** `+hhmm` / `-hhmm`. */
  readonly timezone: string;
}

export interface CommitFilesRequest {
  /** Branch the commit goes on ('' for HEAD's branch). */
  readonly branch: string;
  /** Create this branch from `branch` and commit there instead. */
  readonly newBranch?: string;
  readonly operations: readonly FileOperation[];
  readonly message: string;
  readonly author: CommitPerson;
  readonly committer: CommitPerson;
  /** The repository's branch rules and who writes. */
  readonly protection?: Protection;
}

/** What the answer describes of each operation's file after the commit (null: deleted). */
export interface WrittenFile {
  readonly path: string;
  readonly oid: Oid | null;
  readonly mode: FileMode | null;
  readonly size: number;
}

export type CommitFilesResult =
  | {
      readonly kind: 'committed';
      /** The full ref moved, its old value (zeros: created) and new. */
      readonly ref: string;
      readonly oldOid: Oid;
      readonly commit: Oid;
      readonly tree: Oid;
      readonly parents: Oid[];
      readonly files: WrittenFile[];
    }
  /** Refused for the request's content (422 in Gitea's terms). */
  | { readonly kind: 'invalid'; readonly message: string }
  /** A branch or file it names does not exist (404). */
  | { readonly kind: 'missing'; readonly message: string }
  /** Branch protection refused the commit, in the rule's words. */
  | { readonly kind: 'declined'; readonly reason: string }
  /** The branch moved while committing. */
  | { readonly kind: 'stale'; readonly message: string };

const BRANCH = 'refs/heads/';

function ident(p: CommitPerson): Ident {
  return {
    name: identPart(p.name),
    email: identPart(p.email),
    timestamp: Math.floor(p.time),
    timezone: p.timezone,
  };
}

class Refusal extends Error {
  constructor(readonly result: Exclude<CommitFilesResult, { kind: 'committed' }>) {
    super('refused');
  }
}

const invalid = (message: string) => new Refusal({ kind: 'invalid', message });
const missing = (message: string) => new Refusal({ kind: 'missing', message });

export async function commitFiles(
  request: CommitFilesRequest,
  odb: ObjectDatabase,
  refs: RefStore,
  packs: MergePackStore,
  cached?: CachedPackStore,
): Promise<CommitFilesResult> {
  try {
    return await commitFilesOrRefuse(request, odb, refs, packs, cached);
  } catch (e) {
    if (e instanceof Refusal) return e.result;
    if (e instanceof TreeEditError) {
      return e.code === 'NOT_FOUND'
        ? { kind: 'missing', message: e.message }
        : { kind: 'invalid', message: e.message };
    }
    throw e;
  }
}

async function commitFilesOrRefuse(
  request: CommitFilesRequest,
  odb: ObjectDatabase,
  refs: RefStore,
  packs: MergePackStore,
  cached?: CachedPackStore,
): Promise<CommitFilesResult> {
  if (request.operations.length === 0) throw invalid('no file operations given');
  const branch = request.branch || (await refs.headTarget()).replace(/^refs\/heads\//, '');
  const all = await refs.list();
  const base = all.find((r) => r.name === BRANCH + branch)?.oid ?? null;
  // An empty repository takes its first commit on the branch named (HEAD's by default).
  if (base === null && (all.length > 0 || request.newBranch))
    throw missing(`branch '${branch}' does not exist`);
  const target = request.newBranch || branch;
  if (request.newBranch && all.some((r) => r.name === BRANCH + request.newBranch))
    throw invalid(`branch '${request.newBranch}' already exists`);
  const baseTree = base === null ? null : parseCommit((await odb.readRequired(base)).data).tree;

  const objects = new NewObjects(odb);
  const changes: TreeChange[] = [];
  const files: WrittenFile[] = [];
  for (const op of request.operations) {
    const current = baseTree === null ? null : await fileAt(odb, baseTree, op.path);
    const from = op.fromPath && op.fromPath !== op.path ? op.fromPath : null;
    if (op.operation === 'create') {
      if (current) throw invalid(`file '${op.path}' already exists`);
      const oid = await objects.add('blob', op.content ?? new Uint8Array());
      changes.push({ kind: 'put', path: op.path, oid, mode: '100644' });
      files.push({ path: op.path, oid, mode: '100644', size: op.content?.length ?? 0 });
      continue;
    }
    const sourcePath = from ?? op.path;
    const source = from === null ? current : baseTree === null ? null : await fileAt(odb, baseTree, from);
    if (!source) throw missing(`file '${sourcePath}' does not exist`);
    if (!op.sha) throw invalid(`sha of '${sourcePath}' is required to ${op.operation} it`);
    if (op.sha.toLowerCase() !== source.oid)
      throw invalid(`sha does not match: '${sourcePath}' is ${source.oid}, not ${op.sha}`);
    if (op.operation === 'delete') {
      changes.push({ kind: 'delete', path: op.path });
      files.push({ path: op.path, oid: null, mode: null, size: 0 });
      continue;
    }
    if (from !== null) {
      if (current) throw invalid(`file '${op.path}' already exists`);
      changes.push({ kind: 'delete', path: from });
    } else if (op.operation === 'rename') {
      throw invalid('from_path is required to rename a file');
    }
    const content = op.content;
    const oid = content ? await objects.add('blob', content) : source.oid;
    const size = content ? content.length : ((await odb.info(source.oid))?.size ?? 0);
    changes.push({ kind: 'put', path: op.path, oid, mode: source.mode });
    files.push({ path: op.path, oid, mode: source.mode, size });
  }

  const tree = await editTree(odb, baseTree, changes, objects);
  const parents = base === null ? [] : [base];
  const commit = await writeCommit(objects, {
    tree,
    parents,
    author: ident(request.author),
    committer: ident(request.committer),
    message: messageBytes(request.message),
  });
  const ref = BRANCH + target;
  const oldOid = request.newBranch || base === null ? ZERO_OID : base;
  const command = { name: ref, oldOid, newOid: commit };
  // The rules judge the move as a push's (a fast-forward here) before the new commit is stored.
  const overlay: MergeOdb = {
    read: async (oid) => objects.get(oid) ?? odb.read(oid),
    info: async (oid) => {
      const o = objects.get(oid);
      return o ? { type: o.type, size: o.data.length } : odb.info(oid);
    },
    has: async (oid) => objects.get(oid) !== undefined || odb.has(oid),
    createSha1: odb.createSha1,
  };
  const check = await protectionCheck(overlay, [command], request.protection);
  const list = objects.list();
  let pack: IndexedPack | null = null;
  if (list.length > 0) {
    const writer = await packs.newPack();
    try {
      pack = await storeObjects(list, writer, packs, odb);
    } catch (e) {
      await writer.abort();
      throw e;
    }
  }
  const [result] = await publishPack({ refs, store: packs, cachedPack: cached }, [command], pack, {
    atomic: true,
    check,
  });
  if (!result.ok && result.code === 'DECLINED') return { kind: 'declined', reason: result.reason };
  if (!result.ok)
    return { kind: 'stale', message: `branch '${target}' moved while committing: ${result.reason}` };
  return { kind: 'committed', ref, oldOid, commit, tree, parents, files };
}

/** The file (not directory, not submodule) at `path`, or null. */
async function fileAt(
  odb: ObjectDatabase,
  tree: Oid,
  path: string,
): Promise<{ oid: Oid; mode: FileMode } | null> {
  let entry: Awaited<ReturnType<typeof findEntry>>;
  try {
    entry = await findEntry(odb, tree, path);
  } catch {
    throw invalid(`'${path}' is not a valid file path`);
  }
  if (!entry || entry.kind === 'tree' || entry.kind === 'commit') {
    if (entry) throw invalid(`'${path}' is not a file`);
    return null;
  }
  const mode: FileMode = entry.mode === '100755' ? '100755' : entry.mode === '120000' ? '120000' : '100644';
  return { oid: entry.oid, mode };
}
