/**
 * Bounds on the work of one merge check, the same a diff page has: a pull request's page asks
 * whether it merges on every view, and that answer must not cost more than showing its diff.
 * A check past a bound ends with MERGE_TOO_LARGE (the caller says "unknown" and why); merging
 * itself, asked for by a writer, is not bounded by these.
 */
import { DEFAULT_DIFF_LIMITS } from '../browse/file-diff';
import { DIFF_TIMEOUT_MS } from '../browse/line-diff';
import { MAX_CHANGES } from '../browse/tree-diff';

export interface MergeLimits {
  /** Files larger than this (any of the three sides) are not merged line by line. */
  readonly maxFileBytes: number;
  /** Paths changed on both sides that one check looks at. */
  readonly maxPaths: number;
  /** Edits one side's line diff may need before the check gives up (deterministic, unlike time). */
  readonly maxEditLength: number;
  /** Time one file's line diff may take. */
  readonly timeoutMs: number;
}

export const CHECK_LIMITS: MergeLimits = {
  maxFileBytes: DEFAULT_DIFF_LIMITS.maxFileBytes,
  maxPaths: MAX_CHANGES,
  maxEditLength: 4_000,
  timeoutMs: DIFF_TIMEOUT_MS,
};
