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
 * The entries of a tree read in place, one at a time, without an object or a string per entry:
 * walking a big history meets millions of entries, nearly all of them seen before.
 */
export class TreeCursor {
  kind: TreeEntryKind = 'blob';
  nameStart = 0;
  nameEnd = 0;
  /** Where the entry's 20-byte id starts in `data`. */
  oidAt = 0;
  private pos = 0;

  constructor(readonly data: Uint8Array) {}

  /** Move to the next entry; false at the end. Malformed entries throw as parseTree does. */
  next(): boolean {
    const data = this.data;
    if (this.pos >= data.length) return false;
    const space = data.indexOf(0x20, this.pos);
    if (space < 0) throw malformed('tree', 'entry without mode');
    const nul = data.indexOf(0, space + 1);
    if (nul < 0 || nul + 21 > data.length) throw malformed('tree', 'truncated entry');
    this.kind = modeKind(data, this.pos, space);
    this.nameStart = space + 1;
    this.nameEnd = nul;
    this.oidAt = nul + 1;
    this.pos = nul + 21;
    return true;
  }
}

/** entryKind of the mode digits at `data[from..to]`, checked as treeMode checks them. */
function modeKind(data: Uint8Array, from: number, to: number): TreeEntryKind {
  let ok = to > from;
  for (let i = from; ok && i < to; i++) ok = data[i] >= 0x30 && data[i] <= 0x37;
  if (!ok) throw malformed('tree', `bad mode "${latin1Decode(data.subarray(from, to))}"`);
  let at = from;
  if (to - from === 6 && data[at] === 0x30) at++;
  const n = to - at;
  // "40000" (or "040000"): a tree; "160000": a submodule's commit.
  if (
    n === 5 &&
    data[at] === 0x34 &&
    data[at + 1] === 0x30 &&
    data[at + 2] === 0x30 &&
    data[at + 3] === 0x30 &&
    data[at + 4] === 0x30
  )
    return 'tree';
  if (
    to - from === 6 &&
    data[from] === 0x31 &&
    data[from + 1] === 0x36 &&
    data[from + 2] === 0x30 &&
    data[from + 3] === 0x30 &&
    data[from + 4] === 0x30 &&
    data[from + 5] === 0x30
  )
    return 'commit';
  return 'blob';
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
