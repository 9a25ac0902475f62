// A Durable Object around the production SQLite ref and pack stores, for the unit tests that drive
// them through Miniflare (src/storage/ref-store.test.ts): the same classes the repository object uses.
import { DurableObject } from 'cloudflare:workers';
import { deflateSync } from 'node:zlib';
import { createInflate } from '../../src/git/pack/zlib';
import type { CommitLinks, Oid, PackEntry, Ref, RefCommand, RefCommandResult } from '../../src/git/store';
import { SqlCommitGraph } from '../../src/storage/commit-graph';
import { nativeInflate } from '../../src/storage/native-inflate';
import { nativeInflater } from '../../src/storage/native-inflater';
import { SqlPackStore } from '../../src/storage/pack-store';
import { SqlRefStore } from '../../src/storage/ref-store';
import { migrate, SCHEMA_VERSION } from '../../src/storage/schema';

/** `sql` with its queries counted. */
function countingSql(sql: SqlStorage): { sql: SqlStorage; queries: () => number } {
  let queries = 0;
  const counted = new Proxy(sql, {
    get(target, key) {
      if (key !== 'exec') return Reflect.get(target, key);
      return (query: string, ...bindings: SqlStorageValue[]) => {
        queries++;
        return target.exec(query, ...bindings);
      };
    },
  });
  return { sql: counted, queries: () => queries };
}

export class RefStoreObject extends DurableObject {
  private readonly packs: SqlPackStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql);
    this.packs = new SqlPackStore(ctx.storage.sql);
  }

  private refs(): SqlRefStore {
    return new SqlRefStore(this.ctx.storage.sql, this.ctx.storage, this.packs, 'main');
  }

  /** Write refs and HEAD as rows, bypassing the rules (the state a case starts from). */
  seed(refs: Record<string, Oid>, head: string): void {
    for (const [name, oid] of Object.entries(refs))
      this.ctx.storage.sql.exec('INSERT INTO refs (name, oid) VALUES (?, ?)', name, oid);
    this.refs().setHeadTarget(head);
  }

  async update(
    commands: RefCommand[],
    options: { atomic: boolean; publishPackId?: number },
  ): Promise<RefCommandResult[]> {
    return this.refs().update(commands, options);
  }

  async list(): Promise<Ref[]> {
    return this.refs().list();
  }

  async rememberPeeled(found: Ref[]): Promise<void> {
    await this.refs().rememberPeeled(found);
  }

  headTarget(): string {
    return this.refs().headTargetSync();
  }

  /** A pending pack for an update to publish or drop. */
  newPack(): number {
    return this.packs.newPack().packId;
  }

  /**
   * Two live packs of made-up entries (the second holding 200 of the first's ids at other places),
   * then `lookupMany` of runs of neighbouring ids, lone ids, the second's, absent ids and a
   * non-id: what it answers, against `lookupSync` one id at a time.
   */
  async lookupManyAgainstOneByOne(): Promise<{
    asked: number;
    found: number;
    second: number;
    differ: string[];
  }> {
    const livePack = async (oids: string[]): Promise<number> => {
      const writer = this.packs.newReceivedPack();
      await writer.addEntries(oids.map((oid, i) => madeUpEntry(oid, writer.packId, i)));
      this.packs.publish(writer.packId);
      return writer.packId;
    };
    const first = Array.from({ length: 5000 }, randomOid).sort();
    await livePack(first);
    const shared = first.filter((_, i) => i % 25 === 0);
    const own = Array.from({ length: 300 }, randomOid);
    const second = await livePack([...own, ...shared]);
    const asked = [
      ...first.filter((_, i) => i % 3 === 0), // runs of neighbouring chunks
      ...first.filter((_, i) => i % 401 === 1), // lone chunks
      ...own,
      ...shared,
      ...Array.from({ length: 50 }, randomOid),
      'not-an-object-id',
    ];
    const many = await this.packs.lookupMany(asked);
    const differ: string[] = [];
    for (const oid of asked) {
      const one = this.packs.lookupSync(oid);
      if (JSON.stringify(many.get(oid) ?? null) !== JSON.stringify(one)) differ.push(oid);
    }
    const inSecond = [...many.values()].filter((e) => e.packId === second).length;
    return { asked: new Set(asked).size, found: many.size, second: inSecond, differ };
  }

  /**
   * A pending pack indexed with `count` made-up entries (past one run of the index writer), then
   * its first lookup beside a timer set just before it: whether the timer fired before the lookup
   * (which seals the index) answered, and whether every `step`-th entry is found as added.
   */
  async firstLookupBesideTimer(
    count: number,
    step: number,
  ): Promise<{ firedBefore: boolean; found: number; wrong: number }> {
    const writer = this.packs.newReceivedPack();
    const entries: PackEntry[] = [];
    for (let i = 0; i < count; i++) entries.push(madeUpEntry(randomOid(), writer.packId, i));
    for (let i = 0; i < count; i += 1000) await writer.addEntries(entries.slice(i, i + 1000));
    let fired = false;
    const timer = setTimeout(() => {
      fired = true;
    }, 0);
    const first = await writer.lookupPending(entries[0].oid);
    const firedBefore = fired;
    clearTimeout(timer);
    let found = first?.offset === entries[0].offset ? 1 : 0;
    let wrong = first === null || first.offset !== entries[0].offset ? 1 : 0;
    for (let i = step; i < count; i += step) {
      const e = await writer.lookupPending(entries[i].oid);
      if (e !== null && e.offset === entries[i].offset && e.size === i) found++;
      else wrong++;
    }
    await writer.abort();
    return { firedBefore, found, wrong };
  }

  /**
   * A history of `length` commits in the commit graph (a merge of a side branch at the top, a
   * root at the bottom, generations known for the older half), read back from the newest down
   * by a fresh graph as a walk reads it: what differs from what was added, and how many queries
   * the reads took. Then a generation learned later, and an id the graph does not hold.
   */
  async commitGraphReads(length: number): Promise<{
    wrong: string[];
    queries: number;
    later: number | undefined;
    absent: CommitLinks | null;
  }> {
    const sql = this.ctx.storage.sql;
    const id = (n: number) => n.toString(16).padStart(40, '0');
    const writer = new SqlCommitGraph(sql);
    const added = new Map<Oid, CommitLinks>();
    const add = async (oid: Oid, links: CommitLinks) => {
      added.set(oid, links);
      await writer.add(oid, links);
    };
    for (let i = 0; i < length; i++) {
      const parents = i === 0 ? [] : [id(i)];
      // The top commit merges a side commit (whose parent is the root).
      if (i === length - 1) parents.push(id(100_000));
      const generation = i < length / 2 ? i + 1 : undefined;
      await add(id(i + 1), {
        tree: id(500_000 + i),
        parents,
        time: 1000 + i,
        ...(generation ? { generation } : {}),
      });
    }
    await add(id(100_000), { tree: id(600_000), parents: [id(1)], time: 5000 });
    const counted = countingSql(sql);
    const reader = new SqlCommitGraph(counted.sql);
    const wrong: string[] = [];
    const order = [
      id(length),
      id(100_000),
      ...Array.from({ length: length - 1 }, (_, k) => id(length - 1 - k)),
    ];
    for (const oid of order) {
      const got = await reader.get(oid);
      if (JSON.stringify(got) !== JSON.stringify(added.get(oid)))
        wrong.push(`${oid}: ${JSON.stringify(got)}`);
    }
    const readQueries = counted.queries();
    // A row the reader kept without its generation, given one since (through the same graph).
    const top = id(length);
    await reader.add(top, { ...(added.get(top) as CommitLinks), generation: 77 });
    const later = (await reader.get(top))?.generation;
    return { wrong, queries: readQueries, later, absent: await reader.get('f'.repeat(40)) };
  }

  /**
   * A walk of `length` commits the graph does not hold yet, as readCommitLinks does it: each commit
   * asked for, its parent asked for (its generation), then the commit added. How many queries that
   * took, and what the graph answers for each commit afterwards.
   */
  async commitGraphFirstWalk(length: number): Promise<{ queries: number; wrong: string[] }> {
    const sql = this.ctx.storage.sql;
    const id = (n: number) => `${n.toString(16).padStart(39, '0')}a`;
    const counted = countingSql(sql);
    const graph = new SqlCommitGraph(counted.sql);
    const links = (i: number): CommitLinks => ({
      tree: id(900_000 + i),
      parents: i === 1 ? [] : [id(i - 1)],
      time: i,
    });
    const wrong: string[] = [];
    for (let i = length; i >= 1; i--) {
      if ((await graph.get(id(i))) !== null) wrong.push(`${id(i)} found before it was added`);
      if (i > 1 && (await graph.get(id(i - 1))) !== null)
        wrong.push(`${id(i - 1)} found before it was added`);
      await graph.add(id(i), links(i));
    }
    const walkQueries = counted.queries() - length;
    for (let i = length; i >= 1; i--) {
      const got = await graph.get(id(i));
      if (JSON.stringify(got) !== JSON.stringify(links(i))) wrong.push(`${id(i)}: ${JSON.stringify(got)}`);
    }
    return { queries: walkQueries, wrong };
  }

  /**
   * Which inflater indexing gets here (the native one unless the runtime's zlib handle changed),
   * and whether objects read inflate through it as deflated.
   */
  nativeZlib(): { indexer: string; roundTrip: boolean } {
    const raw = new TextEncoder().encode('tree 0123456789abcdef\n'.repeat(300));
    const got = nativeInflate(createInflate())(new Uint8Array(deflateSync(raw)), raw.length);
    return {
      indexer: nativeInflater().constructor.name,
      roundTrip: got.length === raw.length && got.every((b, i) => b === raw[i]),
    };
  }

  /** A pack's state ('pending', 'live'), or null once dropped. */
  packState(id: number): string | null {
    const rows = this.ctx.storage.sql.exec<{ state: string }>('SELECT state FROM packs WHERE id = ?', id);
    return rows.toArray()[0]?.state ?? null;
  }
}

/** A repository's SQLite brought up step by step, to see what a schema step does to old rows. */
export class SchemaObject extends DurableObject {
  /**
   * Rows of pack bytes and index written at the schema before the last step, then the last step:
   * what is read back, and how the tables are declared after it.
   */
  lastStepKeepsPackRows(): { chunks: string[]; index: string[]; tables: string[] } {
    const sql = this.ctx.storage.sql;
    migrate(sql, SCHEMA_VERSION - 1);
    const blob = (n: number, fill: number) => new Uint8Array(n).fill(fill);
    sql.exec("INSERT INTO packs (state, created_at) VALUES ('live', 1)");
    for (let seq = 0; seq < 3; seq++) {
      sql.exec('INSERT INTO pack_chunks (pack_id, seq, data) VALUES (1, ?, ?)', seq, blob(65536, seq + 1));
      sql.exec(
        'INSERT INTO pack_index (pack_id, run, seq, first_oid, data) VALUES (1, 0, ?, ?, ?)',
        seq,
        String(seq).repeat(40),
        blob(2432, seq + 7),
      );
    }
    migrate(sql);
    const describe = (rows: Iterable<{ seq: number; data: ArrayBuffer }>) =>
      [...rows].map((r) => `${r.seq}:${r.data.byteLength}:${new Uint8Array(r.data)[r.data.byteLength - 1]}`);
    return {
      chunks: describe(
        sql.exec<{ seq: number; data: ArrayBuffer }>('SELECT seq, data FROM pack_chunks ORDER BY seq'),
      ),
      index: describe(
        sql.exec<{ seq: number; data: ArrayBuffer }>(
          'SELECT seq, data FROM pack_index WHERE pack_id = 1 AND run = 0 ORDER BY seq',
        ),
      ),
      tables: sql
        .exec<{ sql: string }>(
          "SELECT sql FROM sqlite_master WHERE name IN ('pack_chunks', 'pack_index') ORDER BY name",
        )
        .toArray()
        .map((r) => r.sql.replace(/\s+/g, ' ')),
    };
  }
}

export default {
  fetch(): Response {
    return new Response(null, { status: 404 });
  },
};

function randomOid(): string {
  return [...crypto.getRandomValues(new Uint8Array(20))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Entry `i` of a pack of made-up blobs, 8 bytes apart (indexes only: no bytes are read). */
function madeUpEntry(oid: string, packId: number, i: number): PackEntry {
  return {
    oid,
    packId,
    offset: 12 + i * 8,
    dataOffset: 14 + i * 8,
    end: 20 + i * 8,
    type: 'blob',
    size: i,
    baseOid: null,
    depth: 0,
    crc32: i,
  };
}
