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

/**
 * Findings a push is accepted with, reported to the pusher as warnings, although strict fsck
 * (receive.fsckObjects) refuses them: harmless marks that old tools left in long-lived real
 * histories (trees written with `040000` modes, odd time zones, a date glued to the email).
 * GitLab's Gitaly ignores these same three on receive; everything else stays refused.
 */
export const RECEIVE_WARNINGS = [
  'BAD_TIMEZONE',
  'MISSING_SPACE_BEFORE_DATE',
  'ZERO_PADDED_FILEMODE',
] as const satisfies readonly FsckMsgId[];

const ACCEPTED: ReadonlySet<FsckMsgId> = new Set(RECEIVE_WARNINGS);

export interface FsckFinding {
  readonly oid: Oid;
  readonly id: FsckMsgId;
  readonly severity: FsckSeverity;
  readonly message: string;
}

/** git's default severity of a finding. */
export function severityOf(id: FsckMsgId): FsckSeverity {
  return SEVERITY[id];
}

/**
 * Severity on receive: strict, as receive.fsckObjects (warnings count as errors), except the
 * `RECEIVE_WARNINGS`, which stay warnings (as git's `receive.fsck.<id>=warn`).
 */
export function receiveSeverityOf(id: FsckMsgId): FsckSeverity {
  if (ACCEPTED.has(id)) return 'warn';
  const severity = SEVERITY[id];
  return severity === 'warn' ? 'error' : severity;
}

/** git prints ids in camel case: HAS_DOTGIT -> hasDotgit. */
export function camelId(id: FsckMsgId): string {
  return id.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Whether a finding rejects the object. */
export function isFatal(f: FsckFinding): boolean {
  return f.severity === 'fatal' || f.severity === 'error';
}

/** Formats a finding the way git's fsck reports it. */
export function formatFinding(f: FsckFinding): string {
  return `object ${f.oid}: ${camelId(f.id)}: ${f.message}`;
}

/** Collects findings for one object, with their severity on receive. */
export class FsckReport {
  readonly findings: FsckFinding[] = [];

  constructor(readonly oid: Oid) {}

  /** Records a finding; returns whether it rejects the object (as git's `report()`). */
  add(id: FsckMsgId, message: string): boolean {
    const finding: FsckFinding = { oid: this.oid, id, severity: receiveSeverityOf(id), message };
    this.findings.push(finding);
    return isFatal(finding);
  }
}

/** Objects of a push failed fsck; `findings` holds every rejecting finding. */
export class FsckError extends GitError {
  constructor(readonly findings: readonly FsckFinding[]) {
    super('FSCK_FAILED', findings.length > 0 ? formatFinding(findings[0]) : 'fsck failed');
    this.name = 'FsckError';
  }
}
