// Gitea's paging headers on lists: X-Total-Count, and Link with rel next/prev/first/last as
// GitHub's, built from the request's own URL so clients can follow them.
import type { ApiContext } from './context';

/** Sets X-Total-Count and Link for page `page` (from 1) of `limit` items out of `total`. */
export function setPageHeaders(c: ApiContext, total: number, page: number, limit: number): void {
  c.header('X-Total-Count', String(total));
  setLinks(c, page, limit, Math.max(1, Math.ceil(total / limit)));
}

/** Link for page `page`; `last` null when the number of pages is not known (no `last` link; `next`
 * then says whether one follows). */
function setLinks(c: ApiContext, page: number, limit: number, last: number | null, hasMore = false): void {
  const url = new URL(c.req.url);
  const at = (n: number) => {
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  const links: string[] = [];
  if (last === null) {
    if (hasMore) links.push(`<${at(page + 1)}>; rel="next"`);
  } else if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1)
    links.push(`<${at(1)}>; rel="first"`, `<${at(Math.min(page - 1, last ?? page))}>; rel="prev"`);
  if (links.length > 0) c.header('Link', links.join(','));
  // Browsers' scripts may read them across origins (Gitea exposes them likewise).
  c.header('Access-Control-Expose-Headers', 'X-Total-Count, Link');
}

/** One page of an in-memory list, with the headers set. */
export function pageSlice<T>(c: ApiContext, items: readonly T[], page: number, limit: number): T[] {
  setPageHeaders(c, items.length, page, limit);
  return items.slice((page - 1) * limit, page * limit);
}

/** A commit list's headers, as Gitea's (X-Total, X-PageCount and X-HasMore beside the usual two).
 * A history too long to count (`total` null) gets X-HasMore and a `next` link only. */
export function setLogPageHeaders(
  c: ApiContext,
  r: { total: number | null; page: number; limit: number; hasMore: boolean },
): void {
  c.header('X-Page', String(r.page));
  c.header('X-PerPage', String(r.limit));
  c.header('X-HasMore', String(r.hasMore));
  if (r.total === null) {
    setLinks(c, r.page, r.limit, null, r.hasMore);
    return;
  }
  setPageHeaders(c, r.total, r.page, r.limit);
  c.header('X-Total', String(r.total));
  c.header('X-PageCount', String(Math.ceil(r.total / r.limit)));
}
