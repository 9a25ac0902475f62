/**
 * Object filters of partial clone (`--filter=`): which trees and blobs a walk leaves out.
 * Supported: blob:none, blob:limit=<n>[kmg], tree:<depth>, object:type=<type>.
 */
import { GitError } from '../errors';
import type { ObjectType } from '../store';

export type ObjectFilter =
  | { readonly kind: 'blob:none' }
  | { readonly kind: 'blob:limit'; readonly limit: number }
  | { readonly kind: 'tree:depth'; readonly depth: number }
  | { readonly kind: 'object:type'; readonly type: ObjectType };

export class FilterError extends GitError {
  constructor(message: string) {
    super('FILTER_UNSUPPORTED', message);
    this.name = 'FilterError';
  }
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export function parseFilter(spec: string): ObjectFilter {
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
  }
}

/** Whether the walk must read a blob's size to decide. */
export function filterNeedsBlobSize(filter: ObjectFilter | null): boolean {
  return filter?.kind === 'blob:limit';
}
