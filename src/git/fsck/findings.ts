/**
 * fsck findings: git's message ids (fsck.h) with their default severities, so that reports and
 * tests speak git's language (`error: object X: hasDotgit: contains '.git'`).
 */
import { GitError } from '../errors';
import type { Oid } from '../store';

/** git's severities. In strict mode (receive.fsckObjects) warnings count as errors. */
export type FsckSeverity = 'fatal' | 'error' | 'warn' | 'info' | 'ignore';

const SEVERITY = {
  // Fatal and errors.
  NUL_IN_HEADER: 'fatal',
  UNTERMINATED_HEADER: 'error',
  BAD_DATE: 'error',
  BAD_DATE_OVERFLOW: 'error',
  BAD_EMAIL: 'error',
  BAD_NAME: 'error',
  BAD_OBJECT_SHA1: 'error',
  BAD_PARENT_SHA1: 'error',
  BAD_TIMEZONE: 'error',
  BAD_TREE: 'error',
  BAD_TREE_SHA1: 'error',
  BAD_TYPE: 'error',
  DUPLICATE_ENTRIES: 'error',
  MISSING_AUTHOR: 'error',
  MISSING_COMMITTER: 'error',
  MISSING_EMAIL: 'error',
  MISSING_NAME_BEFORE_EMAIL: 'error',
  MISSING_OBJECT: 'error',
  MISSING_SPACE_BEFORE_DATE: 'error',
  MISSING_SPACE_BEFORE_EMAIL: 'error',
  MISSING_TAG: 'error',
  MISSING_TAG_ENTRY: 'error',
  MISSING_TREE: 'error',
  MISSING_TYPE: 'error',
  MISSING_TYPE_ENTRY: 'error',
  MULTIPLE_AUTHORS: 'error',
  TREE_NOT_SORTED: 'error',
  ZERO_PADDED_DATE: 'error',
  GITMODULES_MISSING: 'error',
  GITMODULES_BLOB: 'error',
  GITMODULES_LARGE: 'error',
  GITMODULES_NAME: 'error',
  GITMODULES_SYMLINK: 'error',
  GITMODULES_URL: 'error',
  GITMODULES_PATH: 'error',
  GITMODULES_UPDATE: 'error',
  GITATTRIBUTES_MISSING: 'error',
  GITATTRIBUTES_LARGE: 'error',
  GITATTRIBUTES_LINE_LENGTH: 'error',
  GITATTRIBUTES_BLOB: 'error',
  // Warnings.
  EMPTY_NAME: 'warn',
  FULL_PATHNAME: 'warn',
  HAS_DOT: 'warn',
  HAS_DOTDOT: 'warn',
  HAS_DOTGIT: 'warn',
  NULL_SHA1: 'warn',
  ZERO_PADDED_FILEMODE: 'warn',
  NUL_IN_COMMIT: 'warn',
  // Informational: never rejects a push (git 2.36 downgraded odd modes to this).
  BAD_FILEMODE: 'info',
  BAD_TAG_NAME: 'info',
  MISSING_TAGGER_ENTRY: 'info',
  GITMODULES_PARSE: 'info',
  GITATTRIBUTES_SYMLINK: 'info',
  EXTRA_HEADER_ENTRY: 'ignore',
} as const satisfies Record<string, FsckSeverity>;

export type FsckMsgId = keyof typeof SEVERITY;

export interface FsckFinding {
  readonly oid: Oid;
  readonly id: FsckMsgId;
  readonly severity: FsckSeverity;
  readonly message: string;
}

export function severityOf(id: FsckMsgId): FsckSeverity {
  return SEVERITY[id];
}

/** git prints ids in camel case: HAS_DOTGIT -> hasDotgit. */
export function camelId(id: FsckMsgId): string {
  return id.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Whether a finding rejects the object; `strict` is receive.fsckObjects' mode. */
export function isFatal(f: FsckFinding, strict = true): boolean {
  return f.severity === 'fatal' || f.severity === 'error' || (strict && f.severity === 'warn');
}

/** Formats a finding the way git's fsck reports it. */
export function formatFinding(f: FsckFinding): string {
  return `object ${f.oid}: ${camelId(f.id)}: ${f.message}`;
}

/** Collects findings for one object. */
export class FsckReport {
  readonly findings: FsckFinding[] = [];

  constructor(readonly oid: Oid) {}

  add(id: FsckMsgId, message: string): void {
    this.findings.push({ oid: this.oid, id, severity: severityOf(id), message });
  }
}

/** Objects of a push failed fsck; `findings` holds every rejecting finding. */
export class FsckError extends GitError {
  constructor(readonly findings: readonly FsckFinding[]) {
    super('FSCK_FAILED', findings.length > 0 ? formatFinding(findings[0]) : 'fsck failed');
    this.name = 'FsckError';
  }
}
