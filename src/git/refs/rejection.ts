/**
 * Why a ref update was refused: typed, as git's ref transactions report it
 * (`INCORRECT_OLD_VALUE`, `NAME_CONFLICT`, ...), and the words a git client shows after
 * `! [remote rejected]`, as C git's receive-pack and ref backends phrase them.
 */
import type { Oid } from '../store';

export type RefRejection =
  /** Not under refs/ or not a valid ref name (git: "funny refname"). */
  | { readonly code: 'INVALID_NAME' }
  /** The batch names the ref more than once. */
  | { readonly code: 'DUPLICATE' }
  /** A create (old id all zeros) of a ref that exists. */
  | { readonly code: 'ALREADY_EXISTS' }
  /** An update or delete of a ref that does not exist. */
  | { readonly code: 'MISSING' }
  /** The compare-and-swap failed: the ref moved since the client read it. */
  | { readonly code: 'INCORRECT_OLD_VALUE'; readonly actual: Oid; readonly expected: Oid }
  /**
   * A ref cannot be both a file and a directory (refs/heads/a and refs/heads/a/b): `other` exists,
   * or is created by an earlier command of the same batch (`inBatch`).
   */
  | { readonly code: 'NAME_CONFLICT'; readonly other: string; readonly inBatch: boolean }
  /** Another command of an atomic batch failed. */
  | { readonly code: 'ATOMIC' }
  /** A repository rule refused it (branch protection and the like), in the rule's words. */
  | RuleRejection;

export interface RuleRejection {
  readonly code: 'DECLINED';
  readonly reason: string;
}

export type RefRejectionCode = RefRejection['code'];

/** The reason after `ng <ref>` in the report-status (what the client prints in parentheses). */
export function describeRejection(name: string, r: RefRejection): string {
  const lock = `cannot lock ref '${name}'`;
  switch (r.code) {
    case 'INVALID_NAME':
      return 'funny refname';
    case 'DUPLICATE':
      return 'duplicate ref update';
    case 'ALREADY_EXISTS':
      return `${lock}: reference already exists`;
    case 'MISSING':
      return `${lock}: unable to resolve reference '${name}'`;
    case 'INCORRECT_OLD_VALUE':
      return `${lock}: is at ${r.actual} but expected ${r.expected}`;
    case 'NAME_CONFLICT':
      return r.inBatch
        ? `${lock}: cannot process '${r.other}' and '${name}' at the same time`
        : `${lock}: '${r.other}' exists; cannot create '${name}'`;
    case 'ATOMIC':
      return 'atomic push failure';
    case 'DECLINED':
      return r.reason;
  }
}
