// Object databases and commit graphs that record what a walk reads, to show that it reads little.
import type { MergeOdb } from '../../src/git/merge/objects';
import type { ObjectDatabase } from '../../src/git/odb';
import type { CommitGraph, CommitLinks, Oid } from '../../src/git/store';
import type { WalkOdb } from '../../src/git/walk/read';

export function recordReads(odb: WalkOdb): { walkOdb: WalkOdb; reads: Oid[] } {
  const reads: Oid[] = [];
  const walkOdb: WalkOdb = {
    read: (oid) => {
      reads.push(oid);
      return odb.read(oid);
    },
    info: (oid) => odb.info(oid),
    has: (oid) => odb.has(oid),
  };
  return { walkOdb, reads };
}

/** A commit graph that notes each commit asked of it. */
export class NotingGraph implements CommitGraph {
  readonly asked = new Set<Oid>();
  constructor(private readonly inner: CommitGraph) {}
  get(oid: Oid): Promise<CommitLinks | null> {
    this.asked.add(oid);
    return this.inner.get(oid);
  }
  add(oid: Oid, links: CommitLinks): Promise<void> {
    return this.inner.add(oid, links);
  }
}

/** An object database (its commit graph kept) that notes each object read whole. */
export function notingReads(odb: ObjectDatabase): { odb: MergeOdb & WalkOdb; read: Set<Oid> } {
  const read = new Set<Oid>();
  return {
    odb: {
      read: (oid) => {
        read.add(oid);
        return odb.read(oid);
      },
      info: (oid) => odb.info(oid),
      has: (oid) => odb.has(oid),
      createSha1: odb.createSha1,
      commitGraph: odb.commitGraph,
    },
    read,
  };
}
