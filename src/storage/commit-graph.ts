/** The engine's CommitGraph on Durable Object SQLite: one row per commit a walk has read. */
import type { CommitGraph, CommitLinks, Oid } from '../git/store';

interface GraphRow extends Record<string, SqlStorageValue> {
  tree: string;
  parents: string;
  time: number;
  /** 0 while not known (see CommitLinks.generation). */
  generation: number;
}

export class SqlCommitGraph implements CommitGraph {
  constructor(private readonly sql: SqlStorage) {}

  async get(oid: Oid): Promise<CommitLinks | null> {
    const row = this.sql
      .exec<GraphRow>('SELECT tree, parents, time, generation FROM commit_graph WHERE oid = ?', oid)
      .toArray()[0];
    if (!row) return null;
    const links = {
      tree: row.tree,
      parents: row.parents === '' ? [] : row.parents.split(' '),
      time: row.time,
    };
    return row.generation > 0 ? { ...links, generation: row.generation } : links;
  }

  async add(oid: Oid, links: CommitLinks): Promise<void> {
    // A row read before its generation was known takes it now; the rest of a row never changes.
    this.sql.exec(
      `INSERT INTO commit_graph (oid, tree, parents, time, generation) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (oid) DO UPDATE SET generation = excluded.generation
       WHERE commit_graph.generation = 0 AND excluded.generation > 0`,
      oid,
      links.tree,
      links.parents.join(' '),
      links.time,
      links.generation ?? 0,
    );
  }
}
