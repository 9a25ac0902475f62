/**
 * Line attribution (`git blame`, following renames, exact or similar; no copy detection).
 * Follows the file back one
 * commit at a time: through a parent whose version is identical (no attribution), otherwise
 * diffing against the first parent that has the file; lines that survive the diff pass to the
 * parent, the others belong to the commit. Bounded: past the cap, the remaining lines are
 * attributed to the oldest commit reached and marked as a boundary.
 */
import { diffArrays } from 'diff';
import type { Oid } from '../store';
import { readCommitLinks } from '../walk/read';
import { decodeText, isBinary, splitLines } from './binary';
import { BrowseError } from './errors';
import type { BrowseOdb } from './objects';
import { pairSimilarRenames } from './similar-renames';
import { diffTrees } from './tree-diff';
import { oidAtPath, splitPath } from './tree-path';

export interface BlameRange {
  readonly commit: Oid;
  /** First line (1-based) in the blamed version. */
  readonly start: number;
  readonly count: number;
  /** The walk stopped here: the lines may be older than this commit. */
  readonly boundary: boolean;
}

export interface BlameResult {
  readonly lines: string[];
  readonly ranges: BlameRange[];
}

export interface BlameLimits {
  /** Commits stepped through (cheap when the file is unchanged). */
  readonly maxSteps: number;
  /** Diffs computed. */
  readonly maxDiffs: number;
  readonly maxBytes: number;
}

export const DEFAULT_BLAME_LIMITS: BlameLimits = { maxSteps: 5_000, maxDiffs: 500, maxBytes: 1024 * 1024 };

async function blobLines(odb: BrowseOdb, oid: Oid): Promise<string[]> {
  const obj = await odb.read(oid);
  return obj ? splitLines(decodeText(obj.data)) : [];
}

/** The path `path` had in `parent` when this commit moved it (unchanged or similar), or null. */
async function renamedFrom(odb: BrowseOdb, parent: Oid, tree: Oid, path: string): Promise<string | null> {
  const parentTree = (await readCommitLinks(odb, parent)).tree;
  const { changes } = await diffTrees(odb, parentTree, tree);
  const hit = (await pairSimilarRenames(odb, changes)).find(
    (c) => c.status === 'renamed' && c.newPath === path,
  );
  return hit?.oldPath ?? null;
}

export async function blame(
  odb: BrowseOdb,
  tip: Oid,
  path: string,
  limits: BlameLimits = DEFAULT_BLAME_LIMITS,
): Promise<BlameResult> {
  let parts = splitPath(path);
  if (parts.length === 0) throw new BrowseError('NOT_A_FILE', 'blame needs a file path');
  const tipLinks = await readCommitLinks(odb, tip);
  const blobOid = await oidAtPath(odb, tipLinks.tree, parts);
  if (blobOid === null) throw new BrowseError('PATH_NOT_FOUND', `no file '${path}'`);
  const info = await odb.info(blobOid);
  if (info?.type !== 'blob') throw new BrowseError('NOT_A_FILE', `'${path}' is not a file`);
  if (info.size > limits.maxBytes) throw new BrowseError('BAD_REQUEST', `'${path}' is too large to blame`);
  const tipObj = await odb.read(blobOid);
  if (!tipObj || isBinary(tipObj.data)) throw new BrowseError('NOT_A_FILE', `'${path}' is binary`);
  const lines = splitLines(decodeText(tipObj.data));

  const owner: (Oid | null)[] = new Array(lines.length).fill(null);
  const boundary: boolean[] = new Array(lines.length).fill(false);
  // For each line of the current version still unattributed: its index in the final version.
  let pending: Map<number, number> = new Map(lines.map((_, i) => [i, i]));
  let cur = tip;
  let curBlob = blobOid;
  let curLines: string[] | null = lines;
  let steps = 0;
  let diffs = 0;
  const assignAll = (commit: Oid, isBoundary: boolean): void => {
    for (const final of pending.values()) {
      owner[final] = commit;
      boundary[final] = isBoundary;
    }
    pending = new Map();
  };
  while (pending.size > 0) {
    if (steps++ >= limits.maxSteps || diffs >= limits.maxDiffs) {
      assignAll(cur, true);
      break;
    }
    const links = await readCommitLinks(odb, cur);
    const parentBlobs: (Oid | null)[] = [];
    for (const p of links.parents) {
      const pl = await readCommitLinks(odb, p);
      parentBlobs.push(await oidAtPath(odb, pl.tree, parts));
    }
    const same = parentBlobs.indexOf(curBlob);
    if (same >= 0) {
      cur = links.parents[same];
      continue;
    }
    const withFile = parentBlobs.findIndex((b) => b !== null);
    if (withFile < 0) {
      // The file may have been moved here: look again under its old name (the next step then
      // passes through an unchanged move or diffs an edited one).
      const oldPath =
        links.parents.length > 0
          ? await renamedFrom(odb, links.parents[0], links.tree, parts.join('/'))
          : null;
      if (oldPath === null) {
        assignAll(cur, false);
        break;
      }
      parts = splitPath(oldPath);
      continue;
    }
    const parentBlob = parentBlobs[withFile] as Oid;
    const parentLines = await blobLines(odb, parentBlob);
    curLines ??= await blobLines(odb, curBlob);
    diffs++;
    const next = new Map<number, number>();
    let pi = 0;
    let ci = 0;
    for (const part of diffArrays(parentLines, curLines)) {
      const n = part.count ?? part.value.length;
      if (part.added) {
        for (let k = 0; k < n; k++, ci++) {
          const final = pending.get(ci);
          if (final !== undefined) owner[final] = cur;
        }
      } else if (part.removed) {
        pi += n;
      } else {
        for (let k = 0; k < n; k++, ci++, pi++) {
          const final = pending.get(ci);
          if (final !== undefined) next.set(pi, final);
        }
      }
    }
    pending = next;
    cur = links.parents[withFile];
    curBlob = parentBlob;
    curLines = parentLines;
  }
  const ranges: BlameRange[] = [];
  for (let i = 0; i < lines.length; i++) {
    const commit = owner[i] as Oid;
    const last = ranges[ranges.length - 1];
    if (
      last &&
      last.commit === commit &&
      last.start + last.count === i + 1 &&
      last.boundary === boundary[i]
    ) {
      ranges[ranges.length - 1] = { ...last, count: last.count + 1 };
    } else ranges.push({ commit, start: i + 1, count: 1, boundary: boundary[i] });
  }
  return { lines, ranges };
}
