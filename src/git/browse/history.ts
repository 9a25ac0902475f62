/** Paginated history of a commit, optionally limited to a path. */
import type { Oid } from '../store';
import { BrowseError } from './errors';
import { type BrowseOdb, type CommitSummary, readCommit } from './objects';
import { walkPathChanges } from './path-walk';

export interface HistoryPage {
  readonly commits: CommitSummary[];
  /** Another page exists after this one. */
  readonly hasMore: boolean;
  /** The walk hit its cap before filling the page (history of a path in a long repository). */
  readonly capped: boolean;
  /**
   * The next page would start past `HISTORY_SKIP_LIMIT`: older history is listed from an older
   * commit (the last one shown) rather than by page number.
   */
  readonly lastNumberedPage: boolean;
}

/** Commits examined for one page of a path's history, beyond those skipped by earlier pages. */
const PATH_WALK_LIMIT = 5_000;

/**
 * Most commits a page may skip: page N walks the N-1 pages before it, so without a bound
 * `?page=100000000` walks the whole history on every request. Deeper history is listed from an
 * older commit (`?sha=`), as each page's walk then starts there.
 */
export const HISTORY_SKIP_LIMIT = 10_000;

export async function history(
  odb: BrowseOdb,
  tip: Oid,
  path: string,
  page: number,
  limit: number,
): Promise<HistoryPage> {
  const skip = Math.max(0, page - 1) * limit;
  if (skip > HISTORY_SKIP_LIMIT)
    throw new BrowseError(
      'BAD_REQUEST',
      `this page starts past the first ${HISTORY_SKIP_LIMIT} commits, more than one request walks; ` +
        'list the older history from an older commit instead',
    );
  const found: Oid[] = [];
  let shown = 0;
  const cap = path === '' ? skip + limit + 1 : skip * 4 + PATH_WALK_LIMIT;
  const { capped } = await walkPathChanges(odb, tip, path, cap, (c) => {
    shown++;
    if (shown > skip) found.push(c.oid);
    return found.length > limit;
  });
  const hasMore = found.length > limit;
  const commits: CommitSummary[] = [];
  for (const oid of found.slice(0, limit)) commits.push(await readCommit(odb, oid));
  return {
    commits,
    hasMore,
    capped: capped && !hasMore && path !== '',
    lastNumberedPage: skip + limit > HISTORY_SKIP_LIMIT,
  };
}
