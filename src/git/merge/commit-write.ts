/** Making the commit objects of a merge, squash or rebase. */
import { serializeCommit } from '../object/commit';
import type { ObjectHeader } from '../object/headers';
import type { Ident } from '../object/ident';
import type { Oid } from '../store';
import type { NewObjects } from './objects';

export interface NewCommit {
  readonly tree: Oid;
  readonly parents: readonly Oid[];
  readonly author: Ident;
  readonly committer: Ident;
  /** The message, ending in a newline as git writes it. */
  readonly message: Uint8Array;
  /** Headers kept from a replayed commit (e.g. `encoding`); signatures are never copied. */
  readonly extraHeaders?: readonly ObjectHeader[];
}

export async function writeCommit(objects: NewObjects, c: NewCommit): Promise<Oid> {
  return objects.add(
    'commit',
    serializeCommit({
      tree: c.tree,
      parents: c.parents,
      author: c.author,
      committer: c.committer,
      extraHeaders: c.extraHeaders ?? [],
      message: c.message,
    }),
  );
}

/** A message as git stores it: trailing whitespace trimmed, one final newline. */
export function messageBytes(text: string): Uint8Array {
  const trimmed = text.replace(/\s+$/, '');
  return new TextEncoder().encode(`${trimmed}\n`);
}
