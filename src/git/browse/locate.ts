/** Turning a request's locator into a commit, a path and the entry it names; listing refs. */

import type { RefStore } from '../store';
import { BrowseError } from './errors';
import { type BrowseOdb, type NamedEntry, peelToCommit, readCommit } from './objects';
import type { BrowseResult, Locator, RefInfo } from './request';
import {
  type ResolvedRef,
  resolveCommitish as resolveName,
  resolveRefPath,
  shortRefName,
} from './resolve-ref';
import { findEntry, splitPath } from './tree-path';

export interface Located {
  readonly ref: ResolvedRef;
  /** Normalized path ('' for the root). */
  readonly path: string;
  readonly entry: NamedEntry;
}

/** Refs shown in the branch and tag lists at most. */
const MAX_LISTED_REFS = 1_000;

async function defaultBranchName(refs: RefStore): Promise<string> {
  const head = await refs.headTarget();
  return head.startsWith('refs/heads/') ? head.slice(11) : head;
}

export async function resolveCommitish(odb: BrowseOdb, refs: RefStore, name: string): Promise<ResolvedRef> {
  const all = await refs.list(['refs/heads/', 'refs/tags/']);
  return resolveName(odb, all, name === '' ? await defaultBranchName(refs) : name);
}

export async function locate(
  odb: BrowseOdb,
  refs: RefStore,
  at: Locator,
  opts: { allowMissingPath?: boolean } = {},
): Promise<Located & { entry: NamedEntry }> {
  const all = await refs.list(['refs/heads/', 'refs/tags/']);
  let ref: ResolvedRef;
  if ('refPath' in at) {
    ref = await resolveRefPath(odb, all, at.refPath === '' ? await defaultBranchName(refs) : at.refPath);
  } else {
    const r = await resolveName(odb, all, at.ref === '' ? await defaultBranchName(refs) : at.ref);
    ref = { ...r, path: at.path };
  }
  const path = splitPath(ref.path).join('/');
  const commit = await readCommit(odb, ref.commit);
  const entry = await findEntry(odb, commit.tree, path);
  if (entry === null) {
    // The history of a deleted path: nothing at the tip, but the walk finds where it existed.
    if (opts.allowMissingPath)
      return { ref, path, entry: { name: '', mode: '0', oid: commit.tree, kind: 'tree' } };
    throw new BrowseError('PATH_NOT_FOUND', `no '${path}' in ${ref.name}`);
  }
  return { ref, path, entry };
}

export async function listRefs(odb: BrowseOdb, refs: RefStore): Promise<BrowseResult> {
  const all = await refs.list(['refs/heads/', 'refs/tags/']);
  const branches: RefInfo[] = [];
  const tags: RefInfo[] = [];
  for (const r of all.slice(0, MAX_LISTED_REFS)) {
    const short = shortRefName(r.name);
    if (!short) continue;
    const commitOid = await peelToCommit(odb, r.peeled ?? r.oid);
    if (commitOid === null) continue;
    const commit = await readCommit(odb, commitOid);
    if (short.kind === 'branch') branches.push({ name: short.short, commit });
    else tags.push({ name: short.short, commit, annotated: (await odb.info(r.oid))?.type === 'tag' });
  }
  // Newest first, as branch and tag pages list them.
  const byTime = (a: RefInfo, b: RefInfo): number => b.commit.committer.time - a.commit.committer.time;
  branches.sort(byTime);
  tags.sort(byTime);
  return {
    kind: 'refs',
    defaultBranch: await defaultBranchName(refs),
    empty: all.length === 0,
    branches,
    tags,
  };
}
