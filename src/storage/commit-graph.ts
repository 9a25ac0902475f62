/** The engine's CommitGraph on Durable Object SQLite: one row per commit a walk has read. */
import type { CommitGraph, CommitLinks, Oid } from '../git/store';

interface GraphRow extends Record<string, SqlStorageValue> {
  tree: string;
  parents: string;
  time: number;
}

export class SqlCommitGraph implements CommitGraph {
  constructor(private readonly sql: SqlStorage) {}

  async get(oid: Oid): Promise<CommitLinks | null> {
    const row = this.sql
      .exec<GraphRow>('SELECT tree, parents, time FROM commit_graph WHERE oid = ?', oid)
      .toArray()[0];
    if (!row) return null;
    return { tree: row.tree, parents: row.parents === '' ? [] : row.parents.split(' '), time: row.time };
  }

  async add(oid: Oid, links: CommitLinks): Promise<void> {
    this.sql.exec(
      'INSERT OR IGNORE INTO commit_graph (oid, tree, parents, time) VALUES (?, ?, ?, ?)',
      oid,
      links.tree,
      links.parents.join(' '),
      links.time,
    );
  }
}
