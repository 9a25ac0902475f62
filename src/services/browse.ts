/**
 * Browse results for the surfaces: the expected kind, or the engine's refusal thrown as a
 * BrowseError (the surfaces translate it to HTTP with browseErrorStatus).
 */
import { BrowseError, type BrowseErrorCode } from '../git/browse/errors';
import type { BrowseResult } from '../git/browse/request';

export type BrowseOk<K extends BrowseResult['kind']> = Extract<BrowseResult, { kind: K }>;

/** Unwrap a browse result of one of the expected kinds. */
export function expectKind<K extends BrowseResult['kind']>(r: BrowseResult, ...kinds: K[]): BrowseOk<K> {
  if (r.kind === 'error') throw new BrowseError(r.code, r.message);
  if (!(kinds as string[]).includes(r.kind)) throw new BrowseError('PATH_NOT_FOUND', 'not found');
  return r as BrowseOk<K>;
}

/** The HTTP status of a browse refusal: a malformed request is 400, anything not there 404. */
export function browseErrorStatus(code: BrowseErrorCode): 400 | 404 {
  return code === 'BAD_REQUEST' ? 400 : 404;
}
