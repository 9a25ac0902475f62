/** Paginated history of a commit, optionally limited to a path. */
import type { Oid } from '../store';
import { type BrowseOdb, type CommitSummary, readCommit } from './objects';
import { walkPathChanges } from './path-walk';

export interface HistoryPage {
  readonly commits: CommitSummary[];
  /** Another page exists after this one. */
  readonly hasMore: boolean;
  /** The walk hit its cap before filling the page (history of a path in a long repository). */
  readonly capped: boolean;
}

/** Commits examined for one page of a path's history, beyond those skipped by earlier pages. */
const PATH_WALK_LIMIT = 5_000;

export async function history(
  odb: BrowseOdb,
  tip: Oid,
  path: string,
  page: number,
  limit: number,
): Promise<HistoryPage> {
  const skip = Math.max(0, page - 1) * limit;
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
  return { commits, hasMore, capped: capped && !hasMore && path !== '' };
}
