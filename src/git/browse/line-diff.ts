/** Unified line diffs of two texts (hunks with 3 lines of context), using the `diff` library. */
import { structuredPatch } from 'diff';

export type DiffLineKind = 'context' | 'add' | 'del';

export interface DiffLine {
  readonly kind: DiffLineKind;
  readonly text: string;
  /** Line number on the old side (null for an added line). */
  readonly oldNo: number | null;
  /** Line number on the new side (null for a deleted line). */
  readonly newNo: number | null;
}

export interface Hunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: DiffLine[];
}

export interface LineDiff {
  readonly hunks: Hunk[];
  readonly additions: number;
  readonly deletions: number;
  /** Lines beyond `maxLines` were dropped from `hunks` (counts stay exact). */
  readonly truncated: boolean;
}

/** Time allowed for one file's diff before giving up (pathological inputs). */
export const DIFF_TIMEOUT_MS = 2_000;

/** The diff of two texts, or null when it could not be computed in time. */
export function lineDiff(oldText: string, newText: string, maxLines: number): LineDiff | null {
  const patch = structuredPatch('a', 'b', oldText, newText, undefined, undefined, {
    context: 3,
    timeout: DIFF_TIMEOUT_MS,
  });
  if (patch === undefined) return null;
  const hunks: Hunk[] = [];
  let additions = 0;
  let deletions = 0;
  let kept = 0;
  let truncated = false;
  for (const h of patch.hunks) {
    let o = h.oldStart;
    let n = h.newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const sign = raw[0];
      const text = raw.slice(1);
      let line: DiffLine;
      if (sign === '+') {
        additions++;
        line = { kind: 'add', text, oldNo: null, newNo: n++ };
      } else if (sign === '-') {
        deletions++;
        line = { kind: 'del', text, oldNo: o++, newNo: null };
      } else if (sign === ' ') {
        line = { kind: 'context', text, oldNo: o++, newNo: n++ };
      } else {
        // "\ No newline at end of file": a marker, not content.
        continue;
      }
      if (kept < maxLines) {
        lines.push(line);
        kept++;
      } else truncated = true;
    }
    if (lines.length > 0) {
      hunks.push({
        oldStart: h.oldStart,
        oldLines: h.oldLines,
        newStart: h.newStart,
        newLines: h.newLines,
        lines,
      });
    }
  }
  return { hunks, additions, deletions, truncated };
}
