/**
 * Renames with edits: pairs a deleted and an added file whose contents are at least 50% alike,
 * as git's default rename detection does after exact matches. Similarity is the share of lines
 * (weighted by their length) the two versions have in common, relative to the larger file,
 * which approximates git's similarity index. Bounded: few candidates, small text files only.
 */
import type { Oid } from '../store';
import { isBinary } from './binary';
import type { BrowseOdb } from './objects';
import type { FileChange } from './tree-diff';

export interface SimilarityLimits {
  /** Candidates on each side (git's diff.renameLimit plays this role). */
  readonly maxCandidates: number;
  readonly maxBytes: number;
  /** Minimum similarity, 0..1 (git's default -M is 50%). */
  readonly minScore: number;
}

export const DEFAULT_SIMILARITY_LIMITS: SimilarityLimits = {
  maxCandidates: 100,
  maxBytes: 256 * 1024,
  minScore: 0.5,
};

interface Profile {
  readonly size: number;
  readonly lines: Map<string, number>;
}

const utf8 = new TextDecoder();

async function profile(odb: BrowseOdb, oid: Oid, maxBytes: number): Promise<Profile | null> {
  const info = await odb.info(oid);
  if (!info || info.size > maxBytes || info.size === 0) return null;
  const obj = await odb.read(oid);
  if (!obj || isBinary(obj.data)) return null;
  const lines = new Map<string, number>();
  for (const line of utf8.decode(obj.data).split('\n')) lines.set(line, (lines.get(line) ?? 0) + 1);
  return { size: obj.data.length, lines };
}

export function similarity(a: Profile, b: Profile): number {
  let common = 0;
  for (const [line, n] of a.lines) {
    const m = b.lines.get(line);
    if (m !== undefined) common += Math.min(n, m) * (line.length + 1);
  }
  return common / Math.max(a.size, b.size);
}

/** Replace delete + add pairs that are similar enough by renames (each file used once). */
export async function pairSimilarRenames(
  odb: BrowseOdb,
  changes: readonly FileChange[],
  limits: SimilarityLimits = DEFAULT_SIMILARITY_LIMITS,
): Promise<FileChange[]> {
  const deleted = changes.filter((c) => c.status === 'deleted' && c.oldMode !== '160000');
  const added = changes.filter((c) => c.status === 'added' && c.newMode !== '160000');
  if (deleted.length === 0 || added.length === 0) return [...changes];
  if (deleted.length > limits.maxCandidates || added.length > limits.maxCandidates) return [...changes];
  const from = new Map<FileChange, Profile>();
  for (const d of deleted) {
    const p = await profile(odb, d.oldOid as Oid, limits.maxBytes);
    if (p) from.set(d, p);
  }
  const to = new Map<FileChange, Profile>();
  for (const a of added) {
    const p = await profile(odb, a.newOid as Oid, limits.maxBytes);
    if (p) to.set(a, p);
  }
  const scored: { d: FileChange; a: FileChange; score: number }[] = [];
  for (const [d, pd] of from) {
    for (const [a, pa] of to) {
      const score = similarity(pd, pa);
      if (score >= limits.minScore) scored.push({ d, a, score });
    }
  }
  // Best pairs first, as git does, so each file joins its most similar partner.
  scored.sort((x, y) => y.score - x.score);
  const used = new Set<FileChange>();
  const renames = new Map<FileChange, FileChange>();
  for (const s of scored) {
    if (used.has(s.d) || used.has(s.a)) continue;
    used.add(s.d);
    used.add(s.a);
    renames.set(s.a, {
      status: 'renamed',
      oldPath: s.d.oldPath,
      newPath: s.a.newPath,
      oldOid: s.d.oldOid,
      newOid: s.a.newOid,
      oldMode: s.d.oldMode,
      newMode: s.a.newMode,
    });
  }
  const out: FileChange[] = [];
  for (const c of changes) {
    if (used.has(c) && c.status === 'deleted') continue;
    out.push(renames.get(c) ?? c);
  }
  return out;
}
