// Gitea's paging headers on lists: X-Total-Count, and Link with rel next/prev/first/last as
// GitHub's, built from the request's own URL so clients can follow them.
import type { ApiContext } from './context';

/** Sets X-Total-Count and Link for page `page` (from 1) of `limit` items out of `total`. */
export function setPageHeaders(c: ApiContext, total: number, page: number, limit: number): void {
  c.header('X-Total-Count', String(total));
  const last = Math.max(1, Math.ceil(total / limit));
  const url = new URL(c.req.url);
  const at = (n: number) => {
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  const links: string[] = [];
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`, `<${at(Math.min(page - 1, last))}>; rel="prev"`);
  if (links.length > 0) c.header('Link', links.join(','));
  // Browsers' scripts may read them across origins (Gitea exposes them likewise).
  c.header('Access-Control-Expose-Headers', 'X-Total-Count, Link');
}

/** One page of an in-memory list, with the headers set. */
export function pageSlice<T>(c: ApiContext, items: readonly T[], page: number, limit: number): T[] {
  setPageHeaders(c, items.length, page, limit);
  return items.slice((page - 1) * limit, page * limit);
}
