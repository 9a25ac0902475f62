/**
 * Typed reads for browsing: commits as display data, trees as named entries. Names are bytes in
 * git; pages show them decoded as UTF-8 (invalid bytes become U+FFFD).
 */
import { ObjectError } from '../errors';
import { parseCommit } from '../object/commit';
import type { Ident } from '../object/ident';
import { entryKind, parseTree, type TreeEntryKind } from '../object/tree';
import type { Oid } from '../store';
import { peel, type WalkOdb } from '../walk/read';

export type BrowseOdb = WalkOdb;

export interface Person {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly timezone: string;
}

export interface CommitSummary {
  readonly oid: Oid;
  readonly tree: Oid;
  readonly parents: readonly Oid[];
  readonly author: Person;
  readonly committer: Person;
  /** The whole message, decoded as UTF-8. */
  readonly message: string;
  /** Its first line. */
  readonly summary: string;
}

export interface NamedEntry {
  readonly name: string;
  readonly mode: string;
  readonly oid: Oid;
  readonly kind: TreeEntryKind;
}

const utf8 = new TextDecoder();

export function decodeName(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

function person(ident: Ident): Person {
  return { name: ident.name, email: ident.email, time: ident.timestamp, timezone: ident.timezone };
}

export async function readCommit(odb: BrowseOdb, oid: Oid): Promise<CommitSummary> {
  const obj = await odb.read(oid);
  if (!obj) throw new ObjectError('OBJECT_NOT_FOUND', `missing commit ${oid}`);
  if (obj.type !== 'commit') throw new ObjectError('INVALID_OBJECT', `${oid} is a ${obj.type}, not a commit`);
  const c = parseCommit(obj.data);
  const message = c.message ? utf8.decode(c.message) : '';
  return {
    oid,
    tree: c.tree,
    parents: c.parents,
    author: person(c.author),
    committer: person(c.committer),
    message,
    summary: message.split('\n', 1)[0] ?? '',
  };
}

export async function readTree(odb: BrowseOdb, oid: Oid): Promise<NamedEntry[]> {
  const obj = await odb.read(oid);
  if (!obj) throw new ObjectError('OBJECT_NOT_FOUND', `missing tree ${oid}`);
  if (obj.type !== 'tree') throw new ObjectError('INVALID_OBJECT', `${oid} is a ${obj.type}, not a tree`);
  return parseTree(obj.data).map((e) => ({
    name: decodeName(e.name),
    mode: e.mode,
    oid: e.oid,
    kind: entryKind(e.mode),
  }));
}

/** The commit an object names after peeling tags, or null when it is not a commit. */
export async function peelToCommit(odb: BrowseOdb, oid: Oid): Promise<Oid | null> {
  const p = await peel(odb, oid);
  return p.type === 'commit' ? p.oid : null;
}
