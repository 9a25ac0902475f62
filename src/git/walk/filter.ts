/**
 * Object filters of partial clone (`--filter=`): which trees and blobs a walk leaves out.
 * Supported: blob:none, blob:limit=<n>[kmg], tree:<depth>, object:type=<type>, and
 * combine:<f1>+<f2>... (sub-filters URL-encoded, as git sends them).
 */
import { GitError } from '../errors';
import type { ObjectType } from '../store';

export type ObjectFilter =
  | { readonly kind: 'blob:none' }
  | { readonly kind: 'blob:limit'; readonly limit: number }
  | { readonly kind: 'tree:depth'; readonly depth: number }
  | { readonly kind: 'object:type'; readonly type: ObjectType }
  | { readonly kind: 'combine'; readonly filters: readonly ObjectFilter[] };

export class FilterError extends GitError {
  constructor(message: string) {
    super('FILTER_UNSUPPORTED', message);
    this.name = 'FilterError';
  }
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export function parseFilter(spec: string, nested = false): ObjectFilter {
  if (spec.startsWith('combine:')) {
    if (nested) throw new FilterError('combine: filters cannot be nested');
    const parts = spec.slice('combine:'.length).split('+');
    if (parts.length < 2 || parts.some((p) => p === ''))
      throw new FilterError(`bad combine filter '${spec}'`);
    return { kind: 'combine', filters: parts.map((p) => parseFilter(decodeSub(p), true)) };
  }
  if (spec === 'blob:none') return { kind: 'blob:none' };
  let m = /^blob:limit=(\d+)([kmg]?)$/i.exec(spec);
  if (m) return { kind: 'blob:limit', limit: Number(m[1]) * UNITS[m[2].toLowerCase()] };
  m = /^tree:(\d+)$/.exec(spec);
  if (m) return { kind: 'tree:depth', depth: Number(m[1]) };
  m = /^object:type=(commit|tree|blob|tag)$/.exec(spec);
  if (m) return { kind: 'object:type', type: m[1] as ObjectType };
  throw new FilterError(`unsupported filter spec '${spec}'`);
}

/** Whether an object of `type` at tree depth `depth` (root tree = 0, its entries = 1) is sent. */
export function filterKeeps(
  filter: ObjectFilter | null,
  type: ObjectType,
  depth: number,
  size: number | null,
): boolean {
  if (!filter) return true;
  switch (filter.kind) {
    case 'blob:none':
      return type !== 'blob';
    case 'blob:limit':
      return type !== 'blob' || (size !== null && size < filter.limit);
    case 'tree:depth':
      return (type !== 'tree' && type !== 'blob') || depth < filter.depth;
    case 'object:type':
      return type === filter.type;
    case 'combine':
      return filter.filters.every((f) => filterKeeps(f, type, depth, size));
  }
}

/** The tree depth below which a walk need not descend (tree:<depth>), if any. */
export function treeDepthLimit(filter: ObjectFilter | null): number | undefined {
  if (!filter) return undefined;
  if (filter.kind === 'tree:depth') return filter.depth;
  if (filter.kind !== 'combine') return undefined;
  const limits = filter.filters.map(treeDepthLimit).filter((d): d is number => d !== undefined);
  return limits.length > 0 ? Math.min(...limits) : undefined;
}

/** Whether commits are sent at all (object:type=<not commit> leaves them out). */
export function filterKeepsCommits(filter: ObjectFilter | null): boolean {
  return filterKeeps(filter, 'commit', 0, null);
}

/** Sub-filters of combine: are percent-encoded; a bad escape is the client's error. */
function decodeSub(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch (e) {
    throw new FilterError(`bad escape in combine filter '${part}': ${String(e)}`);
  }
}

/** Whether the walk must read a blob's size to decide. */
export function filterNeedsBlobSize(filter: ObjectFilter | null): boolean {
  if (!filter) return false;
  if (filter.kind === 'combine') return filter.filters.some(filterNeedsBlobSize);
  return filter.kind === 'blob:limit';
}

/**
 * Whether the filter leaves out every blob a tree points to (blob:none and its like): a walk then
 * need not note them at all. A blob named by a want or a tag is sent whatever the filter.
 */
export function filterDropsTreeBlobs(filter: ObjectFilter | null): boolean {
  if (!filter) return false;
  switch (filter.kind) {
    case 'blob:none':
      return true;
    case 'blob:limit':
      return filter.limit === 0;
    case 'tree:depth':
      // A tree's entries are at depth 1 or more: blobs are kept only above the limit.
      return filter.depth <= 1;
    case 'object:type':
      return filter.type !== 'blob';
    case 'combine':
      return filter.filters.some(filterDropsTreeBlobs);
  }
}
