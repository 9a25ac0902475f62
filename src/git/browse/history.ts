/** Paginated history of a commit, optionally limited to a path. */
import type { Oid } from '../store';
import { BrowseError } from './errors';
import { type BrowseOdb, type CommitSummary, readCommit } from './objects';
import { walkPathChanges } from './path-walk';
import { countCommits } from './walk-order';

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
  /** Commits in the whole history (of the path); null when not known. */
  readonly total: number | null;
}

/** Commits examined for one page of a path's history, beyond those skipped by earlier pages. */
const PATH_WALK_LIMIT = 5_000;

/**
 * Most commits a page may skip: page N walks the N-1 pages before it, so without a bound
 * `?page=100000000` walks the whole history on every request. Deeper history is listed from an
 * older commit (`?sha=`), as each page's walk then starts there.
 */
export const HISTORY_SKIP_LIMIT = 10_000;

/**
 * Most commits counted for a total (paging headers). Counting walks the whole graph on every
 * request; past this bound the total is left unknown (no `X-Total-Count`, no `last` link), rather
 * than a request walking a huge history. Gitea always counts (`git rev-list --count`).
 */
export const COMMIT_COUNT_LIMIT = 100_000;

export async function history(
  odb: BrowseOdb,
  tip: Oid,
  path: string,
  page: number,
  limit: number,
  count = false,
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
  const pathCapped = capped && !hasMore && path !== '';
  let total: number | null = null;
  // The walk reached the end of history: the total is what it saw. Otherwise only the whole
  // history is counted (a path's count would be a second path walk of all of it).
  if (!hasMore && !pathCapped && (commits.length > 0 || skip === 0)) total = skip + commits.length;
  else if (count && path === '') total = await countCommits(odb, tip, COMMIT_COUNT_LIMIT);
  return {
    commits,
    hasMore,
    capped: pathCapped,
    lastNumberedPage: skip + limit > HISTORY_SKIP_LIMIT,
    total,
  };
}
