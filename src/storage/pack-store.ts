/**
 * The engine's PackStore on Durable Object SQLite: pack bytes in fixed-size chunk rows, and an
 * object index per pack (pack-index.ts). Pending (quarantined) packs are invisible to lookups
 * until published.
 */
import { cacheScaleFor } from '../git/cache-scale';
import type { Oid, PackEntry, PackStore, PackWriter } from '../git/store';
import { CHUNK_SIZE, PackChunks } from './pack-chunks';
import { INDEX_CACHE_BYTES, oidKey, PackIndexReader, PackIndexWriter } from './pack-index';

/**
 * The read caches give way in a big repository as the indexer's do in a big push (cacheScaleFor:
 * whole up to 100,000 objects, down to a quarter). A walk keeps tables that grow with the object
 * count beside the caches: a walking clone of the large benchmark history (411,000 objects)
 * peaked at 88 MiB with whole caches and 74 MiB with a quarter, in no longer a time (28-40 s
 * either way, a noisy machine), while on the medium one (60,000) a quarter made the same clone
 * slower (2.4 s -> 2.9-3.7 s).
 */
const CHUNK_CACHE_BYTES = 16 * 1024 * 1024;
/**
 * Rows of the pack being received kept for resolving its deltas: the reads go roughly forward,
 * and 4 MiB pushed as fast as 16 MiB (the large benchmark push, A/B) while leaving the isolate
 * 12 MiB more.
 */
const WRITER_CACHE_BYTES = 4 * 1024 * 1024;
/**
 * Chunk rows of a pack being received held back and then inserted together, in one turn of the
 * event loop: the object's SQLite commits each turn's writes as one transaction, and a commit per
 * arriving piece of the body (one or a few rows) was most of the time spent writing a push's pack
 * (17.6% of the medium benchmark push by CPU profile inside workerd; 1 MiB of rows in a commit).
 */
const PENDING_ROWS = 16;
/**
 * The read caches while a pack is received: a push reads stored objects only for its thin bases,
 * collision and connectivity checks, mostly once each or in id order, and with the full caches
 * filling beside its own tables a push into a big repository peaked ~25 MiB above the same push
 * into an empty one.
 */
const PUSH_CHUNK_CACHE_BYTES = 2 * 1024 * 1024;
const PUSH_INDEX_CACHE_BYTES = 1024 * 1024;

/** `?, ?, ...` for the values of a batch. */
export function placeholders(batch: readonly unknown[]): string {
  return batch.map(() => '?').join(',');
}

export class SqlPackStore implements PackStore {
  private readonly chunks: PackChunks;
  /** Rows of reads in pack order (pack writing, clones): the row at hand and the next suffice. */
  private readonly inOrder: PackChunks;

  constructor(private readonly sql: SqlStorage) {
    this.chunks = new PackChunks(sql, CHUNK_CACHE_BYTES);
    this.inOrder = new PackChunks(sql, 2 * CHUNK_SIZE);
    this.index = new PackIndexReader(sql);
  }

  /** Sealed pack indexes; shared with this store's writers once their pack is sealed. */
  readonly index: PackIndexReader;

  async lookup(oid: Oid): Promise<PackEntry | null> {
    return this.lookupSync(oid);
  }

  /** The live packs as last read (see forgetLivePacks). */
  private live: number[] | null = null;

  /** Objects in the live packs, read with them: the read caches are sized by it. */
  private liveObjects = 0;

  /** Live packs, the largest first: most lookups end in the first. */
  livePacks(): number[] {
    if (this.live === null) {
      const rows = this.sql
        .exec<{ id: number; object_count: number }>(
          "SELECT id, object_count FROM packs WHERE state = 'live' ORDER BY object_count DESC, id DESC",
        )
        .toArray();
      this.live = rows.map((r) => r.id);
      this.liveObjects = rows.reduce((n, r) => n + r.object_count, 0);
      this.restoreCaches();
    }
    return this.live;
  }

  /**
   * Read the live packs again on the next lookup. Called when a pack is published or retired,
   * and after the transaction doing it (which may have rolled back): a walk looks up thousands
   * of objects, and a query per lookup for the same few ids was a tenth of a fetch's lookups.
   */
  forgetLivePacks(): void {
    this.live = null;
  }

  lookupSync(oid: Oid): PackEntry | null {
    const key = oidKey(oid);
    if (key === null) return null;
    for (const packId of this.livePacks()) {
      const e = this.index.lookup(packId, oid, key);
      if (e !== null) return e;
    }
    return null;
  }

  /** Objects in the live packs, counted once per pack that holds them (at least the distinct ones). */
  storedObjects(): number {
    this.livePacks(); // reads the count with the packs when they are not known yet
    return this.liveObjects;
  }

  async isEmpty(): Promise<boolean> {
    return this.sql.exec("SELECT 1 FROM packs WHERE state = 'live' LIMIT 1").toArray().length === 0;
  }

  async lookupMany(oids: readonly Oid[]): Promise<Map<Oid, PackEntry>> {
    const out = new Map<Oid, PackEntry>();
    const packs = this.livePacks();
    // The first push into a repository asks about every object it brings: nothing to find.
    if (packs.length === 0) return out;
    // In id order, consecutive lookups land in the same index chunk.
    let sorted: Oid[] = [];
    let keys: Uint8Array[] = [];
    for (const oid of [...new Set(oids)].sort()) {
      const key = oidKey(oid);
      if (key === null) continue;
      sorted.push(oid);
      keys.push(key);
    }
    // Each pack is asked for what the ones before it lacked (most are in the first, the largest).
    for (const packId of packs) {
      if (sorted.length === 0) break;
      const hit = new Uint8Array(sorted.length);
      this.index.lookupSorted(packId, sorted, keys, (i, e) => {
        out.set(sorted[i], e);
        hit[i] = 1;
      });
      sorted = sorted.filter((_, i) => hit[i] === 0);
      keys = keys.filter((_, i) => hit[i] === 0);
    }
    return out;
  }

  async readPack(packId: number, offset: number, length: number): Promise<Uint8Array> {
    return this.chunks.read(packId, offset, length);
  }

  async readPackInOrder(packId: number, offset: number, length: number): Promise<Uint8Array> {
    return this.inOrder.read(packId, offset, length);
  }

  dropCaches(): void {
    this.chunks.clear();
    this.index.clearCache();
  }

  /**
   * Start receiving a pack (quarantined until published by a ref update). What reads cached is
   * let go first: indexing a big push needs most of the isolate's memory, and the caches refill.
   */
  newPack(): SqlPackWriter {
    this.dropCaches();
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

  /**
   * A pack received from a client (a push, a mirror's fetch): as newPack, with the read caches
   * bounded to a push's needs until no pack is being received (maintenance, which copies stored
   * objects into its pack, keeps them whole).
   */
  newReceivedPack(): SqlPackWriter {
    const writer = this.newPack();
    this.chunks.setCacheLimit(PUSH_CHUNK_CACHE_BYTES);
    this.index.setCacheLimit(PUSH_INDEX_CACHE_BYTES);
    return writer;
  }

  /** Packs being received by this instance, so that publishing can write their last bytes. */
  private readonly open = new Map<number, SqlPackWriter>();

  closeWriter(packId: number): void {
    this.open.delete(packId);
    this.restoreCaches();
  }

  /** The read caches back at the repository's size once no pack is being received. */
  private restoreCaches(): void {
    if (this.open.size > 0) return;
    const scale = cacheScaleFor(this.liveObjects);
    this.chunks.setCacheLimit(Math.round(CHUNK_CACHE_BYTES * scale));
    this.index.setCacheLimit(Math.round(INDEX_CACHE_BYTES * scale));
  }

  /** Make a pending pack visible. Runs inside the ref update's transaction. */
  publish(packId: number): void {
    const writer = this.open.get(packId);
    if (!writer) throw new Error(`pack ${packId} is not being received here`);
    writer.finish();
    this.sql.exec("UPDATE packs SET state = 'live' WHERE id = ? AND state = 'pending'", packId);
    this.closeWriter(packId);
    this.forgetLivePacks();
  }

  /** Drop a pending pack (a rejected or failed push). */
  discard(packId: number): void {
    this.closeWriter(packId);
    this.drop(packId);
  }

  /** Remove a pack and everything kept of it. */
  drop(packId: number): void {
    dropPack(this.sql, packId);
    this.index.forget(packId);
    this.forgetLivePacks();
  }
}

export class SqlPackWriter implements PackWriter {
  private size = 0;
  private seq = 0;
  /** The tail of the pack not yet written: one chunk row, growing to `PENDING_ROWS` (small packs stay small). */
  private tail = new Uint8Array(CHUNK_SIZE);
  private tailLength = 0;
  private readonly index: PackIndexWriter;
  private readonly chunks: PackChunks;

  constructor(
    private readonly sql: SqlStorage,
    readonly packId: number,
    private readonly store: SqlPackStore,
  ) {
    this.index = new PackIndexWriter(sql, packId);
    this.chunks = new PackChunks(sql, WRITER_CACHE_BYTES);
  }

  async append(chunk: Uint8Array): Promise<void> {
    let pos = 0;
    while (pos < chunk.byteLength) {
      const n = Math.min(this.tail.byteLength - this.tailLength, chunk.byteLength - pos);
      this.tail.set(chunk.subarray(pos, pos + n), this.tailLength);
      this.tailLength += n;
      pos += n;
      if (this.tailLength < this.tail.byteLength) continue;
      if (this.tail.byteLength < CHUNK_SIZE * PENDING_ROWS) {
        const grown = new Uint8Array(this.tail.byteLength * 2);
        grown.set(this.tail);
        this.tail = grown;
      } else this.flushTail();
    }
    this.size += chunk.byteLength;
  }

  /** Write the tail as chunk rows: whole ones, and a shorter last one only when the pack is complete. */
  private flushTail(): void {
    for (let at = 0; at < this.tailLength; at += CHUNK_SIZE) {
      this.sql.exec(
        'INSERT INTO pack_chunks (pack_id, seq, data) VALUES (?, ?, ?)',
        this.packId,
        this.seq,
        this.tail.slice(at, Math.min(at + CHUNK_SIZE, this.tailLength)),
      );
      this.seq += 1;
    }
    this.tailLength = 0;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const flushed = this.seq * CHUNK_SIZE;
    if (offset + length > this.size) throw new Error('read past the received bytes');
    if (offset >= flushed) return this.tail.slice(offset - flushed, offset - flushed + length);
    if (offset + length <= flushed) return this.chunks.read(this.packId, offset, length);
    const out = new Uint8Array(length);
    const head = this.chunks.read(this.packId, offset, flushed - offset);
    out.set(head, 0);
    out.set(this.tail.subarray(0, length - head.byteLength), head.byteLength);
    return out;
  }

  async addEntries(entries: readonly PackEntry[]): Promise<void> {
    this.index.add(entries);
  }

  async seal(): Promise<void> {
    await this.index.sealPaced();
  }

  async lookupPending(oid: Oid): Promise<PackEntry | null> {
    // Lookups come once every entry is in (fsck, collision checks): the runs are merged then.
    await this.index.sealPaced();
    const key = oidKey(oid);
    return key === null ? null : this.store.index.lookup(this.packId, oid, key);
  }

  /** Write what is left of the pack; call once the whole pack has been received. */
  finish(): void {
    this.flushTail();
    const objects = this.index.seal();
    this.sql.exec(
      'UPDATE packs SET size = ?, object_count = ? WHERE id = ?',
      this.size,
      objects,
      this.packId,
    );
  }

  async abort(): Promise<void> {
    this.store.discard(this.packId);
  }
}

/**
 * Mark live packs retired: no longer looked up, still readable by reads that found their objects
 * before, deleted after a grace period (see compaction.ts).
 */
export function retirePacks(sql: SqlStorage, packIds: readonly number[]): void {
  sql.exec(
    `UPDATE packs SET state = 'retired', retired_at = ? WHERE state = 'live' AND id IN (${placeholders(packIds)})`,
    Date.now(),
    ...packIds,
  );
}

/** Remove a pack's bytes, index and record. */
export function dropPack(sql: SqlStorage, packId: number): void {
  sql.exec('DELETE FROM pack_index WHERE pack_id = ?', packId);
  sql.exec('DELETE FROM pack_chunks WHERE pack_id = ?', packId);
  sql.exec('DELETE FROM packs WHERE id = ?', packId);
}
