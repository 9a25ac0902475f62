/**
 * Per-file diffs of a tree change list for display: binary files and files too large are
 * flagged instead of diffed, and a line budget across all files keeps big commits readable.
 */
import type { Oid } from '../store';
import { decodeText, isBinary } from './binary';
import { type Hunk, lineDiff } from './line-diff';
import type { BrowseOdb } from './objects';
import type { FileChange } from './tree-diff';

export interface FileDiff extends FileChange {
  readonly binary: boolean;
  /** Null when not computed (binary, too large, over budget, or too slow). */
  readonly additions: number | null;
  readonly deletions: number | null;
  readonly hunks: Hunk[];
  /** Why no or only part of the diff is shown. */
  readonly omitted: 'too-large' | 'budget' | 'timeout' | 'truncated' | null;
}

export interface DiffLimits {
  /** Files larger than this (either side) are not diffed. */
  readonly maxFileBytes: number;
  /** Lines shown in one file. */
  readonly maxFileLines: number;
  /** Lines shown across all files. */
  readonly maxTotalLines: number;
}

export const DEFAULT_DIFF_LIMITS: DiffLimits = {
  maxFileBytes: 512 * 1024,
  maxFileLines: 2_000,
  maxTotalLines: 10_000,
};

async function blobBytes(odb: BrowseOdb, oid: Oid | null, mode: string | null): Promise<Uint8Array> {
  // Submodules (gitlinks) have no blob: show them as their commit id, as git diff does.
  if (oid === null) return new Uint8Array(0);
  if (mode === '160000') return new TextEncoder().encode(`Subproject commit ${oid}\n`);
  const obj = await odb.read(oid);
  return obj?.data ?? new Uint8Array(0);
}

export async function diffFiles(
  odb: BrowseOdb,
  changes: readonly FileChange[],
  limits: DiffLimits = DEFAULT_DIFF_LIMITS,
): Promise<FileDiff[]> {
  const out: FileDiff[] = [];
  let budget = limits.maxTotalLines;
  for (const c of changes) {
    const base = { ...c, binary: false, additions: null, deletions: null, hunks: [] as Hunk[] };
    if (c.status === 'renamed' && c.oldOid === c.newOid) {
      out.push({ ...base, additions: 0, deletions: 0, omitted: null });
      continue;
    }
    const sizes = await Promise.all([c.oldOid, c.newOid].map((o) => (o === null ? null : odb.info(o))));
    const tooLarge = sizes.some((s) => s !== null && s.size > limits.maxFileBytes);
    if (tooLarge) {
      out.push({ ...base, omitted: 'too-large' });
      continue;
    }
    if (budget <= 0) {
      out.push({ ...base, omitted: 'budget' });
      continue;
    }
    const a = await blobBytes(odb, c.oldOid, c.oldMode);
    const b = await blobBytes(odb, c.newOid, c.newMode);
    if (isBinary(a) || isBinary(b)) {
      out.push({ ...base, binary: true, omitted: null });
      continue;
    }
    const d = lineDiff(decodeText(a), decodeText(b), Math.min(limits.maxFileLines, budget));
    if (d === null) {
      out.push({ ...base, omitted: 'timeout' });
      continue;
    }
    for (const h of d.hunks) budget -= h.lines.length;
    out.push({
      ...base,
      additions: d.additions,
      deletions: d.deletions,
      hunks: d.hunks,
      omitted: d.truncated ? 'truncated' : null,
    });
  }
  return out;
}
