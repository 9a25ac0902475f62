/**
 * Failures of the merge engine on bad input (a ref that names no commit, a history too long to
 * walk). A conflict or a branch that cannot fast-forward is not an error: the engine returns
 * those as tagged outcomes (`MergeOutcome` in merge.ts), since callers report them to users as such.
 */
import { GitError } from '../errors';

/** MERGE_TOO_LARGE: a merge check went past its bounds (limits.ts). */
export type MergeErrorCode = 'MERGE_NOT_A_COMMIT' | 'MERGE_HISTORY_TOO_LONG' | 'MERGE_TOO_LARGE';

export class MergeError extends GitError {
  declare readonly code: MergeErrorCode;

  constructor(code: MergeErrorCode, message: string) {
    super(code, message);
    this.name = 'MergeError';
  }
}
