/**
 * Three-way merge of one file's content, line by line, as diff3 and git's xdiff merge do: the
 * changes each side made to the base are found with a line diff; changes far apart are both
 * applied; changes that overlap or touch (git counts adjacent changes as a conflict too) are a
 * conflict unless both sides made the very same change. Binary content conflicts whenever both
 * sides changed it (the tree merge never calls this when one side is unchanged).
 *
 * Lines are compared as Latin-1 strings so that any byte sequence round-trips exactly.
 */
import { diffArrays } from 'diff';
import { isBinary } from '../browse/binary';
import { latin1Decode, latin1Encode } from '../object/headers';
import { MergeError } from './errors';
import type { MergeLimits } from './limits';

export type FileMergeResult = { readonly clean: true; readonly data: Uint8Array } | { readonly clean: false };

/** One side's change: base lines [start, end) replaced by `lines`. */
interface Change {
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

/** Split into lines that keep their `\n`, so a missing final newline survives the merge. */
function lines(data: Uint8Array): string[] {
  const text = latin1Decode(data);
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/** The changes turning `base` into `side`, in base order, never touching one another. */
function changes(base: readonly string[], side: readonly string[], limits?: MergeLimits): Change[] {
  const out: Change[] = [];
  let pos = 0;
  let open: { start: number; end: number; lines: string[] } | null = null;
  const parts = limits
    ? diffArrays(base as string[], side as string[], {
        maxEditLength: limits.maxEditLength,
        timeout: limits.timeoutMs,
      })
    : diffArrays(base as string[], side as string[]);
  if (parts === undefined)
    throw new MergeError('MERGE_TOO_LARGE', `a file changed in more than ${limits?.maxEditLength} lines`);
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      if (open) out.push(open);
      open = null;
      pos += n;
      continue;
    }
    open ??= { start: pos, end: pos, lines: [] };
    if (part.removed) {
      pos += n;
      open.end = pos;
    } else open.lines.push(...part.value);
  }
  if (open) out.push(open);
  return out;
}

/** Base lines [start, end) with one side's changes inside that range applied. */
function sideText(base: readonly string[], start: number, end: number, cs: readonly Change[]): string[] {
  const out: string[] = [];
  let pos = start;
  for (const c of cs) {
    out.push(...base.slice(pos, c.start), ...c.lines);
    pos = c.end;
  }
  out.push(...base.slice(pos, end));
  return out;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

export function mergeLines(
  base: readonly string[],
  ours: readonly string[],
  theirs: readonly string[],
  limits?: MergeLimits,
): string[] | null {
  const a = changes(base, ours, limits);
  const b = changes(base, theirs, limits);
  const out: string[] = [];
  let pos = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Start a group at the earliest change, then absorb every change that overlaps or touches it.
    const fromA = j >= b.length || (i < a.length && a[i].start <= b[j].start);
    const start = fromA ? a[i].start : b[j].start;
    let end = fromA ? a[i].end : b[j].end;
    const groupA: Change[] = [];
    const groupB: Change[] = [];
    for (;;) {
      if (i < a.length && a[i].start <= end) {
        groupA.push(a[i]);
        end = Math.max(end, a[i].end);
        i++;
      } else if (j < b.length && b[j].start <= end) {
        groupB.push(b[j]);
        end = Math.max(end, b[j].end);
        j++;
      } else break;
    }
    out.push(...base.slice(pos, start));
    const mineText = sideText(base, start, end, groupA);
    const theirText = sideText(base, start, end, groupB);
    if (groupB.length === 0) out.push(...mineText);
    else if (groupA.length === 0) out.push(...theirText);
    else if (sameLines(mineText, theirText)) out.push(...mineText);
    else return null;
    pos = end;
  }
  out.push(...base.slice(pos));
  return out;
}

/** With `limits` (a merge check), a diff past them throws MERGE_TOO_LARGE. */
export function mergeFile(
  base: Uint8Array,
  ours: Uint8Array,
  theirs: Uint8Array,
  limits?: MergeLimits,
): FileMergeResult {
  if (isBinary(base) || isBinary(ours) || isBinary(theirs)) return { clean: false };
  const merged = mergeLines(lines(base), lines(ours), lines(theirs), limits);
  if (merged === null) return { clean: false };
  return { clean: true, data: latin1Encode(merged.join('')) };
}
