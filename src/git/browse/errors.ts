/**
 * Failures of the browsing engine that come from the request, each with a stable code; the
 * surfaces map codes to HTTP statuses (src/services/errors.ts).
 */
import { GitError } from '../errors';

export type BrowseErrorCode =
  | 'REF_NOT_FOUND'
  | 'PATH_NOT_FOUND'
  | 'NOT_A_DIRECTORY'
  | 'NOT_A_FILE'
  | 'BAD_REQUEST'
  // The repository object had no room for the read in time (admission): try again later.
  | 'BUSY';

export class BrowseError extends GitError {
  declare readonly code: BrowseErrorCode;

  constructor(code: BrowseErrorCode, message: string) {
    super(code, message);
    this.name = 'BrowseError';
  }
}
