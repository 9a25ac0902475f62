/**
 * fsck of the objects a push brings, as `index-pack --strict` does: every commit, tree and tag,
 * then the `.gitmodules` / `.gitattributes` blobs those trees name (which may already be stored).
 */
import type { ObjectDatabase } from '../odb';
import type { Oid, PackEntry } from '../store';
import { type FsckFinding, FsckReport, isFatal } from './findings';
import { ATTR_MAX_FILE_BYTES, fsckGitattributes } from './gitattributes';
import { fsckGitmodules, GITMODULES_MAX_BYTES } from './gitmodules';
import { fsckObject } from './object';
import type { SpecialBlobs } from './tree';

export interface FsckObjectsOptions {
  /** Reads a new object's index row (the pushed copy, not an older stored one). */
  readonly entryOf: (oid: Oid) => Promise<PackEntry | null>;
  /** Stop after this many rejecting findings (default 1: git stops at the first bad object). */
  readonly maxFindings?: number;
}

/** Returns the findings that reject the push (strict mode), in pack order; empty when all is well. */
export async function fsckObjects(
  oids: readonly Oid[],
  odb: ObjectDatabase,
  opts: FsckObjectsOptions,
): Promise<FsckFinding[]> {
  const limit = opts.maxFindings ?? 1;
  const fatal: FsckFinding[] = [];
  const special: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() };
  const keep = (found: readonly FsckFinding[]): boolean => {
    for (const f of found) if (isFatal(f)) fatal.push(f);
    return fatal.length >= limit;
  };
  for (const oid of oids) {
    const entry = await opts.entryOf(oid);
    if (entry === null || entry.type === 'blob') continue;
    const data = await odb.readEntryData(entry);
    if (keep(fsckObject(oid, entry.type, data, special))) return fatal;
  }
  const blobs: Array<[Oid, 'gitmodules' | 'gitattributes']> = [
    ...[...special.gitmodules].map((o): [Oid, 'gitmodules'] => [o, 'gitmodules']),
    ...[...special.gitattributes].map((o): [Oid, 'gitattributes'] => [o, 'gitattributes']),
  ];
  for (const [oid, kind] of blobs) {
    const report = new FsckReport(oid);
    const entry = (await opts.entryOf(oid)) ?? (await odb.entry(oid));
    if (entry === null) {
      report.add(
        kind === 'gitmodules' ? 'GITMODULES_MISSING' : 'GITATTRIBUTES_MISSING',
        `unable to read .${kind} blob`,
      );
    } else if (entry.type !== 'blob') {
      report.add(
        kind === 'gitmodules' ? 'GITMODULES_BLOB' : 'GITATTRIBUTES_BLOB',
        `non-blob found at .${kind}`,
      );
    } else if (kind === 'gitmodules') {
      // Judge the size from the index so an oversized blob is never inflated.
      if (entry.size > GITMODULES_MAX_BYTES) report.add('GITMODULES_LARGE', '.gitmodules too large to parse');
      else fsckGitmodules(await odb.readEntryData(entry), report);
    } else if (entry.size > ATTR_MAX_FILE_BYTES) {
      report.add('GITATTRIBUTES_LARGE', '.gitattributes too large to parse');
    } else {
      fsckGitattributes(await odb.readEntryData(entry), report);
    }
    if (keep(report.findings)) return fatal;
  }
  return fatal;
}
