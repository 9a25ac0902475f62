/**
 * Typed errors of the git engine. Every failure the engine reports is a `GitError` (or a
 * subclass per failure family) carrying a stable `code`, so callers can branch on the code
 * and protocol layers can turn it into a precise message for the client.
 */
import type { BrowseErrorCode } from './browse/errors';
import type { MergeErrorCode } from './merge/errors';

export type GitErrorCode =
  // Object ids and objects
  | 'INVALID_OID'
  | 'INVALID_OBJECT'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_TOO_LARGE'
  | 'OBJECT_COLLISION'
  | 'FSCK_FAILED'
  // Packs
  | 'PACK_BAD_SIGNATURE'
  | 'PACK_BAD_VERSION'
  | 'PACK_TRUNCATED'
  | 'PACK_BAD_CHECKSUM'
  | 'PACK_TRAILING_DATA'
  | 'PACK_BAD_ENTRY'
  | 'PACK_BAD_ZLIB'
  | 'PACK_SIZE_MISMATCH'
  | 'PACK_MISSING_BASE'
  | 'PACK_DELTA_CYCLE'
  | 'PACK_STREAM_ABORTED'
  | 'PUSH_TOO_LARGE'
  // Deltas
  | 'DELTA_TRUNCATED'
  | 'DELTA_BAD_OPCODE'
  | 'DELTA_OUT_OF_BOUNDS'
  | 'DELTA_SOURCE_SIZE'
  | 'DELTA_TARGET_SIZE'
  // Protocol
  | 'PROTOCOL_ERROR'
  | 'PKTLINE_INVALID'
  | 'NOT_OUR_REF'
  | 'UNSUPPORTED'
  // The repository's heavy work is at its limit and this one waited too long (see GitRepository.admit)
  | 'BUSY'
  // Fetching from another server (migrations, mirrors)
  | 'FETCH_FAILED'
  // Pushing to another server (push mirrors)
  | 'SEND_FAILED'
  // History walks
  | 'SHALLOW_EMPTY'
  | 'FILTER_UNSUPPORTED'
  // Archives, browsing, merging
  | 'ARCHIVE_TOO_LARGE'
  | BrowseErrorCode
  | MergeErrorCode;

export class GitError extends Error {
  constructor(
    readonly code: GitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GitError';
  }
}

/** A malformed, truncated or inconsistent pack. */
export class PackError extends GitError {
  constructor(code: GitErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'PackError';
  }
}

/** A delta that cannot be applied to its base. */
export class DeltaError extends GitError {
  constructor(code: GitErrorCode, message: string) {
    super(code, message);
    this.name = 'DeltaError';
  }
}

/** A bad object id, missing object or invalid object content. */
export class ObjectError extends GitError {
  constructor(code: GitErrorCode, message: string) {
    super(code, message);
    this.name = 'ObjectError';
  }
}

export function isGitError(e: unknown): e is GitError {
  return e instanceof GitError;
}
