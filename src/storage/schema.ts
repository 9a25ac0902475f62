/**
 * Schema of a repository's Durable Object SQLite. Versioned so that later changes migrate
 * existing repositories in place.
 */
import { convertObjectRows } from './pack-index';

/** A step of SQL, or of code where SQL alone cannot say it. */
type Migration = string | ((sql: SqlStorage) => void);

const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE packs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: chunk caches key on it
    -- 'pending' while a push is being received (quarantine), 'live' once a ref update published it
    state TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    object_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  -- Pack bytes as received, cut into fixed-size rows (a row may hold at most 2 MB).
  CREATE TABLE pack_chunks (
    pack_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (pack_id, seq)
  ) WITHOUT ROWID;
  -- The object index. An object may sit in more than one pack (two pushes carrying it); readers
  -- take any live copy.
  CREATE TABLE objects (
    oid TEXT NOT NULL,
    pack_id INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    data_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    type INTEGER NOT NULL,
    size INTEGER NOT NULL,
    base_oid TEXT,
    depth INTEGER NOT NULL,
    crc32 INTEGER NOT NULL,
    PRIMARY KEY (oid, pack_id)
  ) WITHOUT ROWID;
  CREATE INDEX objects_by_pack ON objects (pack_id, offset);
  CREATE TABLE refs (
    name TEXT PRIMARY KEY,
    oid TEXT NOT NULL,
    peeled TEXT
  ) WITHOUT ROWID;
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // Compaction retires packs it has replaced and deletes them after a grace period.
  `ALTER TABLE packs ADD COLUMN retired_at INTEGER;`,
  // Commit links for walks (git's commit-graph), filled as commits are read.
  `CREATE TABLE commit_graph (
    oid TEXT PRIMARY KEY,
    tree TEXT NOT NULL,
    parents TEXT NOT NULL, -- parent ids separated by spaces, in order
    time INTEGER NOT NULL
  ) WITHOUT ROWID;`,
  // Rows of one pack are only ever selected or deleted whole, never by offset. Keyed by offset,
  // the index took every row of a push at a random place (rows arrive in id order): dropping the
  // offset took about a quarter off writing a push's index rows.
  `DROP INDEX objects_by_pack;
  CREATE INDEX objects_by_pack ON objects (pack_id);`,
  // The object index becomes one per pack, sorted records in chunk rows (see pack-index.ts): a
  // push wrote a SQLite row per object, over a sixth of its time inside the Durable Object.
  `CREATE TABLE pack_index (
    pack_id INTEGER NOT NULL,
    run INTEGER NOT NULL, -- 0: the sealed index; 1, 2, ...: sorted runs of a pack being received
    seq INTEGER NOT NULL,
    first_oid TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (pack_id, run, seq)
  ) WITHOUT ROWID;`,
  (sql) => convertObjectRows(sql),
  'DROP TABLE objects;',
  // Merge checks of pull requests, by commit pair (merge-check-cache.ts).
  `CREATE TABLE merge_checks (
    base_oid TEXT NOT NULL,
    head_oid TEXT NOT NULL,
    status TEXT NOT NULL,
    merge_base TEXT,
    conflicts TEXT NOT NULL, -- JSON array of paths
    reason TEXT,
    PRIMARY KEY (base_oid, head_oid)
  );`,
  // Generation numbers of the commit graph's rows (0: not known yet), so that walks stop exactly
  // where a clock-skew allowance stopped them (walk/generation.ts).
  'ALTER TABLE commit_graph ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;',
  // The tables of big rows get a rowid: in a WITHOUT ROWID table a row lives in an index b-tree,
  // whose cells keep little of a big row in place, and reading one by its key cost 4-5x as much
  // (measured in workerd: a 2.4 KB index row 40 µs against 11, a 64 KiB pack row 355 µs against
  // 74); the large history's walking clone spent 13 of its 31 s reading index rows. Copied once.
  `CREATE TABLE pack_index_rows (
    pack_id INTEGER NOT NULL,
    run INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    first_oid TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (pack_id, run, seq)
  );
  INSERT INTO pack_index_rows (pack_id, run, seq, first_oid, data)
    SELECT pack_id, run, seq, first_oid, data FROM pack_index;
  DROP TABLE pack_index;
  ALTER TABLE pack_index_rows RENAME TO pack_index;
  CREATE TABLE pack_chunk_rows (
    pack_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (pack_id, seq)
  );
  INSERT INTO pack_chunk_rows (pack_id, seq, data) SELECT pack_id, seq, data FROM pack_chunks;
  DROP TABLE pack_chunks;
  ALTER TABLE pack_chunk_rows RENAME TO pack_chunks;`,
];

/** Schema versions there are; `migrate` brings a repository to the last. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Bring the schema to version `to` (the last by default; an earlier one only in tests). */
export function migrate(sql: SqlStorage, to = SCHEMA_VERSION): void {
  sql.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = sql.exec<{ version: number }>('SELECT version FROM schema_version').toArray()[0];
  let version = row?.version ?? 0;
  if (!row) sql.exec('INSERT INTO schema_version (version) VALUES (0)');
  while (version < to) {
    const step = MIGRATIONS[version];
    if (typeof step === 'string') sql.exec(step);
    else step(sql);
    version += 1;
    sql.exec('UPDATE schema_version SET version = ?', version);
  }
}
