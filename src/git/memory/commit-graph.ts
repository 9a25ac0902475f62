/** CommitGraph in a map, for tests and the Node test server: what the SQL table keeps, per row. */
import type { CommitGraph, CommitLinks, Oid } from '../store';

export class MemoryCommitGraph implements CommitGraph {
  readonly rows = new Map<Oid, CommitLinks>();

  async get(oid: Oid): Promise<CommitLinks | null> {
    return this.rows.get(oid) ?? null;
  }

  async add(oid: Oid, links: CommitLinks): Promise<void> {
    const known = this.rows.get(oid);
    if (known === undefined) this.rows.set(oid, links);
    else if (known.generation === undefined && links.generation !== undefined)
      this.rows.set(oid, { ...known, generation: links.generation });
  }
}
