/**
 * The engine's PackStore on Durable Object SQLite: pack bytes in fixed-size chunk rows, one index
 * row per object. Pending (quarantined) packs are invisible to lookups until published.
 */
import { packTypeToType, typeToPackType } from '../git/object-header';
import { ByteLru } from '../git/pack/lru';
import type { Oid, PackEntry, PackStore, PackWriter } from '../git/store';

/** Rows of 64 KiB: small enough that reading one object costs little, far below the 2 MB row cap. */
export const CHUNK_SIZE = 64 * 1024;
const CHUNK_CACHE_BYTES = 16 * 1024 * 1024;

interface ObjectRow extends Record<string, SqlStorageValue> {
  oid: string;
  pack_id: number;
  offset: number;
  data_offset: number;
  end_offset: number;
  type: number;
  size: number;
  base_oid: string | null;
  depth: number;
  crc32: number;
}

const ENTRY_COLUMNS =
  'o.oid, o.pack_id, o.offset, o.data_offset, o.end_offset, o.type, o.size, o.base_oid, o.depth, o.crc32';

function rowToEntry(r: ObjectRow): PackEntry {
  const type = packTypeToType(r.type);
  if (!type) throw new Error(`corrupt object index row for ${r.oid}`);
  return {
    oid: r.oid,
    packId: r.pack_id,
    offset: r.offset,
    dataOffset: r.data_offset,
    end: r.end_offset,
    type,
    size: r.size,
    baseOid: r.base_oid,
    depth: r.depth,
    crc32: r.crc32,
  };
}

/** Ids in groups small enough for one `IN (...)` (at most 100 bound parameters per statement). */
export function* inBatches(oids: readonly Oid[]): Generator<readonly Oid[]> {
  for (let i = 0; i < oids.length; i += 90) yield oids.slice(i, i + 90);
}

/** `?, ?, ...` for the values of a batch. */
export function placeholders(batch: readonly unknown[]): string {
  return batch.map(() => '?').join(',');
}

export class SqlPackStore implements PackStore {
  /** Chunks are immutable once written, so caching them across requests is safe. */
  private readonly chunks = new ByteLru<string, Uint8Array>(CHUNK_CACHE_BYTES);

  constructor(private readonly sql: SqlStorage) {}

  async lookup(oid: Oid): Promise<PackEntry | null> {
    return this.lookupSync(oid);
  }

  lookupSync(oid: Oid): PackEntry | null {
    const row = this.sql
      .exec<ObjectRow>(
        `SELECT ${ENTRY_COLUMNS} FROM objects o JOIN packs p ON p.id = o.pack_id
         WHERE o.oid = ? AND p.state = 'live' LIMIT 1`,
        oid,
      )
      .toArray()[0];
    return row ? rowToEntry(row) : null;
  }

  async lookupMany(oids: readonly Oid[]): Promise<Map<Oid, PackEntry>> {
    const out = new Map<Oid, PackEntry>();
    // The first push into a repository asks about every object it brings: nothing to find.
    if (this.sql.exec("SELECT 1 FROM packs WHERE state = 'live' LIMIT 1").toArray().length === 0) return out;
    for (const batch of inBatches(oids)) {
      const rows = this.sql
        .exec<ObjectRow>(
          `SELECT ${ENTRY_COLUMNS} FROM objects o JOIN packs p ON p.id = o.pack_id
           WHERE o.oid IN (${placeholders(batch)}) AND p.state = 'live'`,
          ...batch,
        )
        .toArray();
      for (const r of rows) if (!out.has(r.oid)) out.set(r.oid, rowToEntry(r));
    }
    return out;
  }

  async readPack(packId: number, offset: number, length: number): Promise<Uint8Array> {
    return this.readSync(packId, offset, length);
  }

  readSync(packId: number, offset: number, length: number): Uint8Array {
    const first = Math.floor(offset / CHUNK_SIZE);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / CHUNK_SIZE);
    if (first === last) {
      const chunk = this.chunk(packId, first);
      const start = offset - first * CHUNK_SIZE;
      if (start + length > chunk.byteLength) throw new Error(`read past the end of pack ${packId}`);
      return chunk.subarray(start, start + length);
    }
    const out = new Uint8Array(length);
    let pos = 0;
    for (let seq = first; seq <= last; seq++) {
      const chunk = this.chunk(packId, seq);
      const start = seq === first ? offset - first * CHUNK_SIZE : 0;
      const n = Math.min(chunk.byteLength - start, length - pos);
      out.set(chunk.subarray(start, start + n), pos);
      pos += n;
    }
    if (pos !== length) throw new Error(`read past the end of pack ${packId}`);
    return out;
  }

  private chunk(packId: number, seq: number): Uint8Array {
    const key = `${packId}:${seq}`;
    const hit = this.chunks.get(key);
    if (hit) return hit;
    const row = this.sql
      .exec<{ data: ArrayBuffer }>('SELECT data FROM pack_chunks WHERE pack_id = ? AND seq = ?', packId, seq)
      .toArray()[0];
    if (!row) throw new Error(`pack ${packId} has no chunk ${seq}`);
    const data = new Uint8Array(row.data);
    this.chunks.set(key, data);
    return data;
  }

  /** Start receiving a pack (quarantined until published by a ref update). */
  newPack(): SqlPackWriter {
    const id = this.sql
      .exec<{ id: number }>(
        "INSERT INTO packs (state, created_at) VALUES ('pending', ?) RETURNING id",
        Date.now(),
      )
      .one().id;
    const writer = new SqlPackWriter(this.sql, id, this);
    this.open.set(id, writer);
    return writer;
  }

  /** Packs being received by this instance, so that publishing can write their last bytes. */
  private readonly open = new Map<number, SqlPackWriter>();

  closeWriter(packId: number): void {
    this.open.delete(packId);
  }

  /** Make a pending pack visible. Runs inside the ref update's transaction. */
  publish(packId: number): void {
    const writer = this.open.get(packId);
    if (!writer) throw new Error(`pack ${packId} is not being received here`);
    writer.finish();
    this.sql.exec("UPDATE packs SET state = 'live' WHERE id = ? AND state = 'pending'", packId);
    this.open.delete(packId);
  }

  /** Drop a pending pack (a rejected or failed push). */
  discard(packId: number): void {
    this.open.delete(packId);
    dropPack(this.sql, packId);
  }
}

/** Durable Object SQLite binds at most 100 parameters per statement; a row takes 9. */
const ROWS_PER_INSERT = 11;

/** The INSERT of `rows` index rows of pack `packId` (an integer of ours, so it is inlined). */
function insertObjects(packId: number, rows: number): string {
  const row = `(?, ${packId}, ?, ?, ?, ?, ?, ?, ?, ?)`;
  return `INSERT OR IGNORE INTO objects (oid, pack_id, offset, data_offset, end_offset, type, size, base_oid, depth, crc32)
    VALUES ${Array(rows).fill(row).join(', ')}`;
}

export class SqlPackWriter implements PackWriter {
  private size = 0;
  private seq = 0;
  /** The tail of the pack not yet written as a full chunk row. */
  private tail = new Uint8Array(CHUNK_SIZE);
  private tailLength = 0;
  private objectCount = 0;

  constructor(
    private readonly sql: SqlStorage,
    readonly packId: number,
    private readonly store: SqlPackStore,
  ) {}

  async append(chunk: Uint8Array): Promise<void> {
    let pos = 0;
    while (pos < chunk.byteLength) {
      const n = Math.min(CHUNK_SIZE - this.tailLength, chunk.byteLength - pos);
      this.tail.set(chunk.subarray(pos, pos + n), this.tailLength);
      this.tailLength += n;
      pos += n;
      if (this.tailLength === CHUNK_SIZE) this.flushTail();
    }
    this.size += chunk.byteLength;
  }

  private flushTail(): void {
    if (this.tailLength === 0) return;
    this.sql.exec(
      'INSERT INTO pack_chunks (pack_id, seq, data) VALUES (?, ?, ?)',
      this.packId,
      this.seq,
      this.tail.slice(0, this.tailLength),
    );
    this.seq += 1;
    this.tailLength = 0;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const flushed = this.seq * CHUNK_SIZE;
    if (offset + length > this.size) throw new Error('read past the received bytes');
    if (offset >= flushed) return this.tail.slice(offset - flushed, offset - flushed + length);
    if (offset + length <= flushed) return this.store.readSync(this.packId, offset, length);
    const out = new Uint8Array(length);
    const head = this.store.readSync(this.packId, offset, flushed - offset);
    out.set(head, 0);
    out.set(this.tail.subarray(0, length - head.byteLength), head.byteLength);
    return out;
  }

  async addEntries(entries: readonly PackEntry[]): Promise<void> {
    // In id order: the index is a B-tree keyed by id, and sorted inserts walk it once instead of
    // landing on a random page each (a third less time for a push's index rows).
    const sorted = [...entries].sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0));
    // Several rows per statement (as many as the 100 bound parameters allow): a push indexes tens
    // of thousands of objects, and a statement per row cost more than the rest of storing them.
    for (let i = 0; i < sorted.length; i += ROWS_PER_INSERT) {
      const batch = sorted.slice(i, i + ROWS_PER_INSERT);
      const values: SqlStorageValue[] = [];
      for (const e of batch) {
        values.push(
          e.oid,
          e.offset,
          e.dataOffset,
          e.end,
          typeToPackType(e.type),
          e.size,
          e.baseOid,
          e.depth,
          e.crc32,
        );
      }
      this.sql.exec(insertObjects(this.packId, batch.length), ...values);
    }
    this.objectCount += entries.length;
  }

  async lookupPending(oid: Oid): Promise<PackEntry | null> {
    const row = this.sql
      .exec<ObjectRow>(
        `SELECT ${ENTRY_COLUMNS} FROM objects o WHERE o.oid = ? AND o.pack_id = ?`,
        oid,
        this.packId,
      )
      .toArray()[0];
    return row ? rowToEntry(row) : null;
  }

  /** Write what is left of the pack; call once the whole pack has been received. */
  finish(): void {
    this.flushTail();
    this.sql.exec(
      'UPDATE packs SET size = ?, object_count = ? WHERE id = ?',
      this.size,
      this.objectCount,
      this.packId,
    );
  }

  async abort(): Promise<void> {
    this.store.discard(this.packId);
  }
}

/** Remove a pack's bytes, index rows and record. */
export function dropPack(sql: SqlStorage, packId: number): void {
  sql.exec('DELETE FROM objects WHERE pack_id = ?', packId);
  sql.exec('DELETE FROM pack_chunks WHERE pack_id = ?', packId);
  sql.exec('DELETE FROM packs WHERE id = ?', packId);
}
