/**
 * fsck of the objects a push brings, as `index-pack --strict` does: every commit, tree and tag,
 * then the `.gitmodules` / `.gitattributes` blobs those trees name (which may already be stored).
 * `PushFsck.visit` takes objects while the indexer has them in hand, so nothing is read back.
 */
import type { ObjectDatabase } from '../odb';
import type { ObjectType, Oid, PackEntry } from '../store';
import { type FsckFinding, FsckReport, formatFinding, isFatal } from './findings';
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

/** Accepted warnings kept to show the pusher; a history may carry thousands, the rest are counted. */
const MAX_WARNINGS_SHOWN = 100;

export class PushFsck {
  readonly fatal: FsckFinding[] = [];
  /** The first findings accepted with a warning (`RECEIVE_WARNINGS`, infos), in pack order. */
  readonly warnings: FsckFinding[] = [];
  /** How many accepted findings there were in all. */
  warningCount = 0;
  private readonly special: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() };

  constructor(private readonly limit = 1) {}

  /** Whether enough rejecting findings were seen to stop. */
  get done(): boolean {
    return this.fatal.length >= this.limit;
  }

  private keep(found: readonly FsckFinding[]): boolean {
    for (const f of found) {
      if (isFatal(f)) this.fatal.push(f);
      // git shows informational findings as warnings too.
      else if (f.severity !== 'ignore' && this.warningCount++ < MAX_WARNINGS_SHOWN) this.warnings.push(f);
    }
    return this.done;
  }

  /** The accepted findings as git prints them (`warning: object <id>: <msgId>: <message>`). */
  warningLines(): string[] {
    const lines = this.warnings.map((f) => `warning: ${formatFinding(f)}`);
    const more = this.warningCount - this.warnings.length;
    if (more > 0) lines.push(`warning: ${more} more fsck warnings not shown`);
    return lines;
  }

  /** Check one commit, tree or tag; returns true once the push must be refused. */
  visit(oid: Oid, type: ObjectType, data: Uint8Array): boolean {
    if (type === 'blob' || this.done) return this.done;
    return this.keep(fsckObject(oid, type, data, this.special));
  }

  /** Check the special blobs the visited trees named; returns every rejecting finding. */
  async finish(
    odb: ObjectDatabase,
    entryOf: (oid: Oid) => Promise<PackEntry | null>,
  ): Promise<FsckFinding[]> {
    if (this.done) return this.fatal;
    const blobs: Array<[Oid, 'gitmodules' | 'gitattributes']> = [
      ...[...this.special.gitmodules].map((o): [Oid, 'gitmodules'] => [o, 'gitmodules']),
      ...[...this.special.gitattributes].map((o): [Oid, 'gitattributes'] => [o, 'gitattributes']),
    ];
    for (const [oid, kind] of blobs) {
      const report = new FsckReport(oid);
      const entry = (await entryOf(oid)) ?? (await odb.entry(oid));
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
        if (entry.size > GITMODULES_MAX_BYTES)
          report.add('GITMODULES_LARGE', '.gitmodules too large to parse');
        else fsckGitmodules(await odb.readEntryData(entry), report);
      } else if (entry.size > ATTR_MAX_FILE_BYTES) {
        report.add('GITATTRIBUTES_LARGE', '.gitattributes too large to parse');
      } else {
        fsckGitattributes(await odb.readEntryData(entry), report);
      }
      if (this.keep(report.findings)) break;
    }
    return this.fatal;
  }
}

/** Returns the findings that reject the push (strict mode), in pack order; empty when all is well. */
export async function fsckObjects(
  oids: readonly Oid[],
  odb: ObjectDatabase,
  opts: FsckObjectsOptions,
): Promise<FsckFinding[]> {
  const fsck = new PushFsck(opts.maxFindings ?? 1);
  for (const oid of oids) {
    const entry = await opts.entryOf(oid);
    if (entry === null || entry.type === 'blob') continue;
    if (fsck.visit(oid, entry.type, await odb.readEntryData(entry))) return fsck.fatal;
  }
  return fsck.finish(odb, opts.entryOf);
}
