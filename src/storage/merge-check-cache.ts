/**
 * Merge checks kept in the repository's SQLite, by (base commit, head commit): what a pull
 * request's page asks on every view is merged once per pair. Kept here rather than in D1: the
 * check runs in this object, which already has the pair's commits, and the answer is a fact about
 * this repository's objects (it goes when the repository does), shared by every pull request
 * and by the check made when one is opened. Only the most recent MAX_ROWS pairs are kept.
 */
import type { MergeCheck, MergeCheckCache } from '../git/merge/merge-refs';
import { incrementMeta, readMetaCount } from './meta';

const MAX_ROWS = 1_000;
const COMPUTED_KEY = 'merge_checks_computed';

interface Row extends Record<string, SqlStorageValue> {
  status: MergeCheck['status'];
  merge_base: string | null;
  conflicts: string;
  reason: string | null;
}

export class SqlMergeCheckCache implements MergeCheckCache {
  constructor(private readonly sql: SqlStorage) {}

  get(base: string, head: string): MergeCheck | null {
    const row = this.sql
      .exec<Row>(
        'SELECT status, merge_base, conflicts, reason FROM merge_checks WHERE base_oid = ? AND head_oid = ?',
        base,
        head,
      )
      .toArray()[0];
    if (!row) return null;
    return {
      status: row.status,
      mergeBase: row.merge_base,
      conflicts: JSON.parse(row.conflicts) as string[],
      reason: row.reason,
    };
  }

  put(base: string, head: string, check: MergeCheck): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO merge_checks (base_oid, head_oid, status, merge_base, conflicts, reason)
       VALUES (?, ?, ?, ?, ?, ?)`,
      base,
      head,
      check.status,
      check.mergeBase,
      JSON.stringify(check.conflicts),
      check.reason,
    );
    // Oldest pairs out (rows are numbered in the order they were written).
    this.sql.exec(
      `DELETE FROM merge_checks WHERE rowid <= (SELECT rowid FROM merge_checks ORDER BY rowid DESC LIMIT 1 OFFSET ?)`,
      MAX_ROWS,
    );
    incrementMeta(this.sql, COMPUTED_KEY);
  }

  /** Pairs kept, and checks computed since the repository was made (for stats). */
  stats(): { cached: number; computed: number } {
    const cached = this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM merge_checks').one().n;
    return { cached, computed: readMetaCount(this.sql, COMPUTED_KEY) };
  }
}
