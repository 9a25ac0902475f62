/** Object reads the walks need: commit links and tag peeling, with typed errors. */
import { ObjectError } from '../errors';
import { parseCommitLinks } from '../object/commit';
import { parseTagTarget } from '../object/tag';
import type { ObjectDatabase } from '../odb';
import type { CommitGraph, CommitLinks, ObjectType, Oid } from '../store';

/** The parts of the object database a walk uses. */
export type WalkOdb = Pick<ObjectDatabase, 'read' | 'info' | 'has'> & {
  readonly commitGraph?: CommitGraph;
};

/** A commit's tree, parents and time: from the commit graph when it knows them, else parsed. */
export async function readCommitLinks(odb: WalkOdb, oid: Oid): Promise<CommitLinks> {
  const known = await odb.commitGraph?.get(oid);
  if (known) return known;
  const obj = await odb.read(oid);
  if (!obj) throw new ObjectError('OBJECT_NOT_FOUND', `missing commit ${oid}`);
  if (obj.type !== 'commit') throw new ObjectError('INVALID_OBJECT', `${oid} is a ${obj.type}, not a commit`);
  const links = parseCommitLinks(obj.data);
  await odb.commitGraph?.add(oid, links);
  return links;
}

export interface Peeled {
  /** The final non-tag object. */
  readonly oid: Oid;
  readonly type: ObjectType;
  /** Tag objects followed on the way, outermost first (empty for a non-tag). */
  readonly tags: readonly Oid[];
}

/** Follow annotated tags down to the object they finally name. */
export async function peel(odb: WalkOdb, oid: Oid): Promise<Peeled> {
  const tags: Oid[] = [];
  let cur = oid;
  for (;;) {
    const info = await odb.info(cur);
    if (!info) throw new ObjectError('OBJECT_NOT_FOUND', `missing object ${cur}`);
    if (info.type !== 'tag') return { oid: cur, type: info.type, tags };
    if (tags.length > 64) throw new ObjectError('INVALID_OBJECT', `tag chain at ${oid} too deep`);
    tags.push(cur);
    const tag = await odb.read(cur);
    if (!tag) throw new ObjectError('OBJECT_NOT_FOUND', `missing tag ${cur}`);
    cur = parseTagTarget(tag.data).object;
  }
}
