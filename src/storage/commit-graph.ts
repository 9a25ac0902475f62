/** The engine's CommitGraph on Durable Object SQLite: one row per commit a walk has read. */
import type { CommitGraph, CommitLinks, Oid } from '../git/store';

interface GraphRow extends Record<string, SqlStorageValue> {
  oid: string;
  tree: string;
  parents: string;
  time: number;
  /** 0 while not known (see CommitLinks.generation). */
  generation: number;
}

/**
 * Rows read with a commit's: it and its first parents, as far as the graph knows them. A walk
 * goes down first-parent chains, and each query cost about as much as the rows it read (~17 us
 * in workerd; a walking clone of 45,679 commits asked ~200,000 times); 32 rows in one query cost
 * a fifth of that per row.
 */
const CHAIN_ROWS = 32;
/** Rows kept from those queries, at most (the oldest go first): ~1 MB. */
const KEPT_ROWS = 4096;

const CHAIN = `WITH RECURSIVE chain (oid, tree, parents, time, generation, n) AS (
    SELECT oid, tree, parents, time, generation, 1 FROM commit_graph WHERE oid = ?
    UNION ALL
    SELECT g.oid, g.tree, g.parents, g.time, g.generation, chain.n + 1
      FROM chain JOIN commit_graph g ON g.oid = substr(chain.parents, 1, 40)
      WHERE chain.n < ?
  )
  SELECT oid, tree, parents, time, generation FROM chain`;

export class SqlCommitGraph implements CommitGraph {
  /**
   * Rows read lately, by id, and ids found absent (null): a walk asks for each commit once, but a
   * fill of generations asks for a parent's, then reads the parent itself, and a walk of commits
   * the graph does not hold yet asks for each one's parents (their generations) before it asks for
   * the parent itself (~640 ms of a first walking clone of the large history). A row added since
   * by another request is then parsed again: the walk's answer is the same.
   */
  private readonly kept = new Map<Oid, CommitLinks | null>();

  constructor(private readonly sql: SqlStorage) {}

  async get(oid: Oid): Promise<CommitLinks | null> {
    const known = this.kept.get(oid);
    if (known !== undefined) return known;
    let found: CommitLinks | null = null;
    for (const row of this.sql.exec<GraphRow>(CHAIN, oid, CHAIN_ROWS)) {
      const links = linksOf(row);
      if (row.oid === oid) found = links;
      this.keep(row.oid, links);
    }
    if (found === null) this.keep(oid, null);
    return found;
  }

  private keep(oid: Oid, links: CommitLinks | null): void {
    if (this.kept.size >= KEPT_ROWS) this.kept.delete(this.kept.keys().next().value as Oid);
    this.kept.set(oid, links);
  }

  async add(oid: Oid, links: CommitLinks): Promise<void> {
    // What is kept of it may say absent, or lack the generation known now.
    this.kept.delete(oid);
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

function linksOf(row: GraphRow): CommitLinks {
  const links = {
    tree: row.tree,
    parents: row.parents === '' ? [] : row.parents.split(' '),
    time: row.time,
  };
  return row.generation > 0 ? { ...links, generation: row.generation } : links;
}
