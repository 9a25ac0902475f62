/**
 * The repository's read side for the web pages and the content API: one entry point,
 * `runBrowse`, that the Durable Object's `browse` RPC method calls with its object database and
 * refs. Engine failures that come from the request (unknown ref, missing path) become `error`
 * results; anything else is a real fault and propagates.
 */

import { tarGzStream } from '../archive/tar';
import { treeFiles } from '../archive/tree-files';
import { zipStream } from '../archive/zip';
import { GitError } from '../errors';
import type { ObjectDatabase } from '../odb';
import type { Oid, RefStore } from '../store';
import { isBinary } from './binary';
import { blame } from './blame';
import { streamBlob } from './blob-stream';
import { BrowseError } from './errors';
import { DEFAULT_DIFF_LIMITS, diffFiles } from './file-diff';
import { listGitTree, readGitBlob, refObjects } from './git-data';
import { history } from './history';
import { listRefs, locate, resolveCommitish } from './locate';
import { commitsBetween, mergeBase } from './merge-base';
import { type CommitSummary, readCommit } from './objects';
import { pushedCommits } from './pushed-commits';
import { readBlob, readDirectory } from './read-files';
import type { BrowseRequest, BrowseResult } from './request';
import { pairSimilarRenames } from './similar-renames';
import { diffTrees, type FileChange } from './tree-diff';

export type { BrowseRequest, BrowseResult } from './request';

const MAX_LOG_LIMIT = 100;
const MAX_COMPARE_COMMITS = 250;
/** File content returned inline at most (pages show bigger files as a download link). */
const DEFAULT_BLOB_MAX = 1024 * 1024;
/**
 * Raw reads of an object stored as a delta larger than this are refused: a delta is resolved
 * whole in the Durable Object (an object stored whole streams at any size).
 */
const DEFAULT_RAW_DELTA_MAX = 64 * 1024 * 1024;

function toError(e: unknown): BrowseResult {
  if (e instanceof BrowseError) return { kind: 'error', code: e.code, message: e.message };
  throw e;
}

/**
 * What the caller may do before the blobs of a commit's or comparison's changes are read and
 * diffed: `diffRoom` sees the sum of their sizes (from the index, nothing inflated) and may wait
 * for room (admission), answering what gives it back once the diffs are made.
 */
export interface BrowseHooks {
  readonly diffRoom?: (blobBytes: number) => Promise<() => void>;
}

export async function runBrowse(
  request: BrowseRequest,
  odb: ObjectDatabase,
  refs: RefStore,
  hooks: BrowseHooks = {},
): Promise<BrowseResult> {
  try {
    return await dispatch(request, odb, refs, hooks);
  } catch (e) {
    return toError(e);
  }
}

/** The changes' diffs (renames paired first), inside the room `hooks.diffRoom` gives for their blobs. */
async function diffsOf(odb: ObjectDatabase, changes: readonly FileChange[], hooks: BrowseHooks) {
  let release = (): void => undefined;
  if (hooks.diffRoom) {
    // Only blobs the diffs read count: bigger ones are shown as too large, unread.
    let bytes = 0;
    for (const c of changes) {
      for (const oid of [c.oldOid, c.newOid]) {
        const size = oid === null ? 0 : ((await odb.info(oid))?.size ?? 0);
        if (size <= DEFAULT_DIFF_LIMITS.maxFileBytes) bytes += size;
      }
    }
    release = await hooks.diffRoom(bytes);
  }
  try {
    return await diffFiles(odb, await pairSimilarRenames(odb, changes));
  } finally {
    release();
  }
}

async function dispatch(
  req: BrowseRequest,
  odb: ObjectDatabase,
  refs: RefStore,
  hooks: BrowseHooks,
): Promise<BrowseResult> {
  switch (req.kind) {
    case 'refs':
      return listRefs(odb, refs);
    case 'tree': {
      const loc = await locate(odb, refs, req.at);
      if (loc.entry.kind !== 'tree') {
        // A file where a directory was expected: its metadata only, for a redirect.
        return readBlob(odb, loc, 0, false);
      }
      return readDirectory(odb, loc, { lastCommits: req.lastCommits ?? true, readme: req.readme ?? true });
    }
    case 'blob': {
      const loc = await locate(odb, refs, req.at);
      if (loc.entry.kind === 'tree') {
        // A directory where a file was expected: the plain listing (as the contents API answers).
        return readDirectory(odb, loc, { lastCommits: false, readme: false });
      }
      return readBlob(odb, loc, req.maxBytes ?? DEFAULT_BLOB_MAX, req.bytes === true);
    }
    case 'raw':
      return raw(odb, refs, req);
    case 'git-refs':
      return { kind: 'git-refs', refs: await refObjects(odb, refs, req.prefix) };
    case 'git-tree':
      return { kind: 'git-tree', ...(await listGitTree(odb, refs, req.id, req)) };
    case 'git-blob':
      return { kind: 'git-blob', ...(await readGitBlob(odb, req.id, req.maxBytes)) };
    case 'log': {
      const loc = await locate(odb, refs, req.at, { allowMissingPath: true });
      const limit = Math.min(Math.max(1, Math.floor(req.limit) || 30), MAX_LOG_LIMIT);
      const page = Math.max(1, Math.floor(req.page) || 1);
      const h = await history(odb, loc.ref.commit, loc.path, page, limit, req.count === true);
      return { kind: 'log', ref: loc.ref, path: loc.path, page, limit, ...h };
    }
    case 'commit': {
      const ref = await resolveCommitish(odb, refs, req.sha);
      const commit = await readCommit(odb, ref.commit);
      const parentTree = commit.parents.length > 0 ? (await readCommit(odb, commit.parents[0])).tree : null;
      const { changes, truncated } = await diffTrees(odb, parentTree, commit.tree);
      const files = await diffsOf(odb, changes, hooks);
      return { kind: 'commit', commit, files, filesTruncated: truncated };
    }
    case 'compare': {
      const base = await resolveCommitish(odb, refs, req.base);
      const head = await resolveCommitish(odb, refs, req.head);
      const mb = await mergeBase(odb, base.commit, head.commit);
      const between = await commitsBetween(odb, mb, head.commit, MAX_COMPARE_COMMITS);
      const commits: CommitSummary[] = [];
      for (const oid of between.oids) commits.push(await readCommit(odb, oid));
      const fromTree = mb === null ? null : (await readCommit(odb, mb)).tree;
      const headTree = (await readCommit(odb, head.commit)).tree;
      const { changes, truncated } = await diffTrees(odb, fromTree, headTree);
      return {
        kind: 'compare',
        base,
        head,
        mergeBase: mb,
        commits,
        commitsTruncated: between.more,
        files: await diffsOf(odb, changes, hooks),
        filesTruncated: truncated,
      };
    }
    case 'pushed':
      return {
        kind: 'pushed',
        ...(await pushedCommits(
          odb,
          req.base,
          req.head,
          Math.min(req.max, 100),
          Math.min(req.countCap, 10_000),
        )),
      };
    case 'blame': {
      const loc = await locate(odb, refs, req.at);
      if (loc.entry.kind !== 'blob') throw new BrowseError('NOT_A_FILE', `'${loc.path}' is not a file`);
      const b = await blame(odb, loc.ref.commit, loc.path);
      const commits: Record<Oid, CommitSummary> = {};
      for (const r of b.ranges) commits[r.commit] ??= await readCommit(odb, r.commit);
      return { kind: 'blame', ref: loc.ref, path: loc.path, lines: b.lines, ranges: b.ranges, commits };
    }
    case 'archive': {
      const ref = await resolveCommitish(odb, refs, req.ref);
      const commit = await readCommit(odb, ref.commit);
      const src = {
        prefix: req.prefix.endsWith('/') ? req.prefix : `${req.prefix}/`,
        mtime: commit.committer.time,
        commit: commit.oid,
        entries: treeFiles(odb, commit.tree),
        readBlob: async (oid: Oid) => (await odb.read(oid))?.data ?? new Uint8Array(0),
      };
      return {
        kind: 'archive',
        commit: commit.oid,
        body: req.format === 'zip' ? zipStream(src) : tarGzStream(src),
      };
    }
  }
}

async function raw(
  odb: ObjectDatabase,
  refs: RefStore,
  req: Extract<BrowseRequest, { kind: 'raw' }>,
): Promise<BrowseResult> {
  const loc = await locate(odb, refs, req.at);
  if (loc.entry.kind !== 'blob') throw new BrowseError('NOT_A_FILE', `'${loc.path}' is not a file`);
  const blob = await streamBlob(odb, loc.entry.oid, loc.path, req.maxBytes ?? DEFAULT_RAW_DELTA_MAX);
  if (!blob) throw new GitError('OBJECT_NOT_FOUND', `missing blob ${loc.entry.oid}`);
  const { size, head, body } = blob;
  return { kind: 'raw', path: loc.path, oid: loc.entry.oid, size, binary: isBinary(head), body };
}
