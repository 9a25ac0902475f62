/** Object reads the walks need: commit links and tag peeling, with typed errors. */
import { ObjectError } from '../errors';
import { parseCommitLinks } from '../object/commit';
import { parseTagTarget } from '../object/tag';
import type { ObjectDatabase } from '../odb';
import type { CommitGraph, CommitLinks, ObjectType, Oid } from '../store';

/** The parts of the object database a walk uses. */
export type WalkOdb = Pick<ObjectDatabase, 'read' | 'info' | 'has'> &
  Partial<BatchReads> & {
    readonly commitGraph?: CommitGraph;
  };

/** Index rows of many objects at once, and reading an object by its row: a tree walk's batches. */
export type BatchReads = Pick<ObjectDatabase, 'entries' | 'readEntryData'>;

/** The batch reads of `odb`, when it has them (a stored object database does). */
export function batchReadsOf(odb: WalkOdb): BatchReads | null {
  const { entries, readEntryData } = odb;
  if (entries === undefined || readEntryData === undefined) return null;
  return { entries: entries.bind(odb), readEntryData: readEntryData.bind(odb) };
}

/**
 * A commit's tree, parents and time: from the commit graph when it knows them, else parsed (and
 * given its generation when the graph knows its parents').
 */
export async function readCommitLinks(odb: WalkOdb, oid: Oid): Promise<CommitLinks> {
  const graph = odb.commitGraph;
  const known = await graph?.get(oid);
  if (known) return known;
  const parsed = await parseStoredCommit(odb, oid);
  if (graph === undefined) return parsed;
  const generation = await generationFromParents(graph, parsed.parents);
  const links = generation === undefined ? parsed : { ...parsed, generation };
  await graph.add(oid, links);
  return links;
}

async function parseStoredCommit(odb: WalkOdb, oid: Oid): Promise<CommitLinks> {
  const obj = await odb.read(oid);
  if (!obj) throw new ObjectError('OBJECT_NOT_FOUND', `missing commit ${oid}`);
  if (obj.type !== 'commit') throw new ObjectError('INVALID_OBJECT', `${oid} is a ${obj.type}, not a commit`);
  return parseCommitLinks(obj.data);
}

/** One more than the parents' highest generation, when the graph knows each (1 for a root). */
export async function generationFromParents(
  graph: CommitGraph,
  parents: readonly Oid[],
): Promise<number | undefined> {
  let highest = 0;
  for (const p of parents) {
    const g = (await graph.get(p))?.generation;
    if (g === undefined) return undefined;
    highest = Math.max(highest, g);
  }
  return highest + 1;
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
