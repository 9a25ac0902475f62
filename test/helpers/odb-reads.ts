// An object database that records the objects read whole, to show that a walk reads little.
import type { Oid } from '../../src/git/store';
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
