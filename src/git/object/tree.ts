/** Tree objects: `mode SP name NUL oid(20 bytes)` entries, parsed and serialized exactly. */
import { hexToBytes, idHexAt } from '../oid';
import type { Oid } from '../store';
import { concat } from './commit';
import { malformed } from './errors';
import { latin1Decode, latin1Encode } from './headers';

export interface TreeEntry {
  /** Mode as written (e.g. `100644`, `40000`); kept as text so odd modes round-trip. */
  readonly mode: string;
  /** File name bytes (git does not mandate an encoding). */
  readonly name: Uint8Array;
  readonly oid: Oid;
}

export type TreeEntryKind = 'tree' | 'blob' | 'commit';

/** What an entry points to: a subtree, a blob (file or symlink) or a submodule commit. */
export function entryKind(mode: string): TreeEntryKind {
  if (mode === '40000' || mode === '040000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

export function parseTree(data: Uint8Array): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) throw malformed('tree', 'entry without mode');
    const nul = data.indexOf(0, space + 1);
    if (nul < 0 || nul + 21 > data.length) throw malformed('tree', 'truncated entry');
    const mode = treeMode(data, pos, space);
    entries.push({
      mode,
      name: data.slice(space + 1, nul),
      oid: idHexAt(data, nul + 1),
    });
    pos = nul + 21;
  }
  return entries;
}

/**
 * The mode digits at `data[from..to]` as text. Made from the bytes directly: a decoder call per
 * entry was the largest cost of walking a big history's trees (4 of 48 s of a clone).
 */
function treeMode(data: Uint8Array, from: number, to: number): string {
  let ok = to > from;
  for (let i = from; ok && i < to; i++) ok = data[i] >= 0x30 && data[i] <= 0x37;
  if (!ok) throw malformed('tree', `bad mode "${latin1Decode(data.subarray(from, to))}"`);
  return String.fromCharCode.apply(null, data.subarray(from, to) as unknown as number[]);
}

export function serializeTree(entries: readonly TreeEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(latin1Encode(`${e.mode} `), e.name, Uint8Array.of(0), hexToBytes(e.oid));
  }
  return concat(parts);
}
