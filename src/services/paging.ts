/**
 * Page numbers and page sizes from a request, bounded, for the API and the pages alike: what a
 * client asks for never makes a request list or skip an unbounded number of rows.
 */

/** Items one API page answers when the client does not say (Gitea's default). */
export const DEFAULT_LIMIT = 30;
/** Most items one API page answers, whatever the client asks (Gitea's `MAX_RESPONSE_ITEMS`). */
export const MAX_LIMIT = 50;
/** Highest page number served; a higher one reads as this one (an empty page, or the last). */
export const MAX_PAGE = 10_000;

function integer(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n) : Number.NaN;
}

/** A page number from 1 to MAX_PAGE; anything missing or not a number is page 1. */
export function pageNumber(v: unknown): number {
  const n = integer(v);
  return Number.isNaN(n) || n < 1 ? 1 : Math.min(n, MAX_PAGE);
}

/** A page size from 1 to `max`; anything missing or not a number is the default. */
export function pageLimit(v: unknown, max = MAX_LIMIT, fallback = DEFAULT_LIMIT): number {
  const n = integer(v);
  return Number.isNaN(n) || n < 1 ? Math.min(fallback, max) : Math.min(n, max);
}
