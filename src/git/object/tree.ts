/** Tree objects: `mode SP name NUL oid(20 bytes)` entries, parsed and serialized exactly. */
import { concatBytes } from '../bytes';
import { hexToBytes, idHexAt } from '../oid';
import type { Oid } from '../store';
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
  for (const e = new TreeCursor(data); e.next(); ) {
    entries.push({
      // Made from the bytes directly: a decoder call per entry was the largest cost of walking a
      // big history's trees.
      mode: String.fromCharCode.apply(
        null,
        data.subarray(e.modeStart, e.nameStart - 1) as unknown as number[],
      ),
      name: data.slice(e.nameStart, e.nameEnd),
      oid: idHexAt(data, e.oidAt),
    });
  }
  return entries;
}

/**
 * The entries of a tree read in place, one at a time, without an object or a string per entry:
 * walking a big history meets millions of entries, nearly all of them seen before.
 */
export class TreeCursor {
  kind: TreeEntryKind = 'blob';
  /** The entry's mode digits are `data[modeStart .. nameStart - 1]`. */
  modeStart = 0;
  nameStart = 0;
  nameEnd = 0;
  /** Where the entry's 20-byte id starts in `data`. */
  oidAt = 0;
  private pos = 0;

  constructor(readonly data: Uint8Array) {}

  /** Move to the next entry; false at the end. Malformed entries throw INVALID_OBJECT. */
  next(): boolean {
    const data = this.data;
    if (this.pos >= data.length) return false;
    const space = data.indexOf(0x20, this.pos);
    if (space < 0) throw malformed('tree', 'entry without mode');
    const nul = data.indexOf(0, space + 1);
    if (nul < 0 || nul + 21 > data.length) throw malformed('tree', 'truncated entry');
    this.kind = modeKind(data, this.pos, space);
    this.modeStart = this.pos;
    this.nameStart = space + 1;
    this.nameEnd = nul;
    this.oidAt = nul + 1;
    this.pos = nul + 21;
    return true;
  }
}

/** Modes of a subtree (also written "040000") and of a submodule's commit. */
const TREE_MODE = latin1Encode('40000');
const GITLINK_MODE = latin1Encode('160000');

/** entryKind of the mode digits at `data[from..to]`, which must be octal digits. */
function modeKind(data: Uint8Array, from: number, to: number): TreeEntryKind {
  let ok = to > from;
  for (let i = from; ok && i < to; i++) ok = data[i] >= 0x30 && data[i] <= 0x37;
  if (!ok) throw malformed('tree', `bad mode "${latin1Decode(data.subarray(from, to))}"`);
  // Compared in place: a view of the digits per entry was most of what a walk allocated (a walking
  // clone of the large benchmark history: ~800 MB of its ~4 GB, for millions of entries).
  const at = to - from === 6 && data[from] === 0x30 ? from + 1 : from;
  if (digitsAre(data, at, to, TREE_MODE)) return 'tree';
  if (digitsAre(data, at, to, GITLINK_MODE)) return 'commit';
  return 'blob';
}

function digitsAre(data: Uint8Array, from: number, to: number, mode: Uint8Array): boolean {
  if (to - from !== mode.length) return false;
  for (let i = 0; i < mode.length; i++) if (data[from + i] !== mode[i]) return false;
  return true;
}

export function serializeTree(entries: readonly TreeEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(latin1Encode(`${e.mode} `), e.name, Uint8Array.of(0), hexToBytes(e.oid));
  }
  return concatBytes(parts);
}
