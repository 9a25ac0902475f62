/**
 * The walk of a whole rebuild of the cached pack (see whole-rebuild.ts): every object reachable
 * from the refs, each recorded once as a row of `rebuild_objects` with its stored entry. The
 * table is the walk's "seen" set and, ordered by (pack, offset), the write order: memory holds
 * the stack of objects still to visit and a bounded cache of ids seen lately (most entries of a
 * tree were seen with the tree it replaces), not a table per object. The walk stops after a
 * budget of objects and resumes from its stack (saved with the rebuild's state); an object is
 * recorded together with pushing what it points to, so a stop between two objects loses nothing.
 */

import { ObjectError } from '../git/errors';
import { parseTagTarget } from '../git/object/tag';
import { TreeCursor } from '../git/object/tree';
import type { ObjectDatabase } from '../git/odb';
import { hexToBytes, idHexAt } from '../git/oid';
import { OidSet } from '../git/oid-set';
import { Pacer } from '../git/pacer';
import type { Oid } from '../git/store';
import { readCommitLinks } from '../git/walk/read';
import { encodeRecord, RECORD_SIZE } from './index-record';
import type { SqlPackStore } from './pack-store';

/** Ids kept in the cache of seen objects before it starts over (~11 MiB at most). */
const SEEN_CACHE_IDS = 256 * 1024;

export const REBUILD_TABLES = `
  CREATE TABLE IF NOT EXISTS rebuild_objects (
    oid BLOB PRIMARY KEY,
    pack_id INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    -- The stored entry's index record (index-record.ts), and the new pack's once written.
    entry BLOB NOT NULL,
    new_offset INTEGER,
    written BLOB
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS rebuild_objects_order ON rebuild_objects (pack_id, offset);
`;

export class RebuildWalk {
  private cache = new OidSet();
  private readonly record = new Uint8Array(RECORD_SIZE);

  constructor(
    private readonly sql: SqlStorage,
    private readonly packs: SqlPackStore,
    private readonly odb: ObjectDatabase,
    /** Objects still to visit (the walk's state between steps). */
    readonly stack: Oid[],
  ) {}

  /** Visits objects until the stack is empty (true) or `budget` objects were recorded (false). */
  async run(budget: number): Promise<{ done: boolean; recorded: number }> {
    let recorded = 0;
    // Its reads are answered at once (SQLite, caches): without pauses nothing else would run.
    const pacer = new Pacer();
    while (this.stack.length > 0) {
      if (recorded >= budget) return { done: false, recorded };
      const pause = pacer.tick();
      if (pause) await pause;
      const oid = this.stack.pop() as Oid;
      const key = hexToBytes(oid);
      if (this.seen(key, 0)) continue;
      await this.visit(oid, key);
      recorded += 1;
    }
    return { done: true, recorded };
  }

  private async visit(oid: Oid, key: Uint8Array): Promise<void> {
    const e = this.packs.lookupSync(oid);
    if (e === null) throw new ObjectError('OBJECT_NOT_FOUND', `object ${oid} not found`);
    encodeRecord(e, this.record, 0);
    this.sql.exec(
      'INSERT INTO rebuild_objects (oid, pack_id, offset, entry) VALUES (?, ?, ?, ?)',
      key,
      e.packId,
      e.offset,
      this.record,
    );
    this.remember(key, 0);
    if (e.type === 'commit') {
      const links = await readCommitLinks(this.odb, oid);
      for (let i = links.parents.length - 1; i >= 0; i--) this.stack.push(links.parents[i]);
      this.stack.push(links.tree);
    } else if (e.type === 'tag') {
      const tag = await this.odb.readRequired(oid);
      this.stack.push(parseTagTarget(tag.data).object);
    } else if (e.type === 'tree') {
      const tree = await this.odb.readRequired(oid);
      const found: Oid[] = [];
      for (const c = new TreeCursor(tree.data); c.next(); ) {
        // A gitlink names a commit of another repository.
        if (c.kind === 'commit' || this.seen(c.data, c.oidAt)) continue;
        found.push(idHexAt(c.data, c.oidAt));
      }
      // Reversed, so that the entries are visited in tree order.
      for (let i = found.length - 1; i >= 0; i--) this.stack.push(found[i]);
    }
  }

  /** Whether the id at `bytes[at..at+20]` was recorded: the cache, else the table. */
  private seen(bytes: Uint8Array, at: number): boolean {
    if (this.cache.hasBytes(bytes, at)) return true;
    const key = bytes.slice(at, at + 20);
    const found = this.sql.exec('SELECT 1 FROM rebuild_objects WHERE oid = ?', key).toArray().length > 0;
    if (found) this.remember(key, 0);
    return found;
  }

  private remember(bytes: Uint8Array, at: number): void {
    if (this.cache.size >= SEEN_CACHE_IDS) this.cache = new OidSet();
    this.cache.addBytes(bytes, at);
  }
}
