/** fsck of one object by kind; blobs are only judged by name (see `SpecialBlobs`). */
import type { ObjectType, Oid } from '../store';
import { fsckCommit } from './commit';
import { type FsckFinding, FsckReport } from './findings';
import { fsckTag } from './tag';
import { fsckTree, type SpecialBlobs } from './tree';

export function fsckObject(
  oid: Oid,
  type: ObjectType,
  data: Uint8Array,
  special: SpecialBlobs,
): FsckFinding[] {
  const report = new FsckReport(oid);
  if (type === 'commit') fsckCommit(data, report);
  else if (type === 'tree') fsckTree(data, report, special);
  else if (type === 'tag') fsckTag(data, report);
  return report.findings;
}
