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

/**
 * The HTTP status of a browse refusal: a malformed request is 400, a repository too busy to make
 * room for the read in time 503 (with `busyHeaders`), anything not there 404.
 */
export function browseErrorStatus(code: BrowseErrorCode): 400 | 404 | 503 {
  if (code === 'BUSY') return 503;
  return code === 'BAD_REQUEST' ? 400 : 404;
}

/** How long a client is asked to wait before trying a busy repository again. */
export const BUSY_RETRY_AFTER_SECONDS = 30;

/** The headers of a 503 for a busy repository (Retry-After), none for other statuses. */
export function busyHeaders(status: number): Record<string, string> {
  return status === 503 ? { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) } : {};
}
