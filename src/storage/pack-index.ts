/**
 * A pack's object index on Durable Object SQLite: sorted records (see index-record.ts) in chunk
 * rows of `pack_index`. While a pack is received its entries are kept encoded; each RUN_RECORDS
 * of them are written as a sorted run (run 1, 2, ...) and sealing merges the runs into run 0,
 * the index readers use (a pack of fewer entries is written as run 0 directly). A pack is immutable once sealed, so what is read of it is cached freely.
 */

import { packTypeToType } from '../git/object-header';
import { hexToBytes, idHexAt, isOid } from '../git/oid';
import { compareIds } from '../git/oid-set';
import { ByteLru } from '../git/pack/lru';
import { mergeSortedRunsPaced } from '../git/sorted-records';
import type { Oid, PackEntry } from '../git/store';
import {
  ChunkBuilder,
  type ChunkSource,
  decodeRecord,
  encodeRecord,
  findRecord,
  mergeRuns,
  RECORD_SIZE,
  sortedOrder,
} from './index-record';

/** The sealed index readers use. */
const SEALED = 0;
/** Index chunks kept for lookups, before a big repository's share (see SqlPackStore's restoreCaches). */
export const INDEX_CACHE_BYTES = 8 * 1024 * 1024;
/**
 * Entries kept encoded (5 MB) before a sorted run is written: a push of up to this many objects
 * is indexed in one run with no merge; larger ones merge a run per this many.
 */
const RUN_RECORDS = 65536;
/** Chunks a range read of sorted lookups reads past rather than starting another statement for. */
const RANGE_GAP = 4;

function insertChunk(sql: SqlStorage, packId: number, run: number, seq: number, chunk: Uint8Array): void {
  sql.exec(
    'INSERT INTO pack_index (pack_id, run, seq, first_oid, data) VALUES (?, ?, ?, ?, ?)',
    packId,
    run,
    seq,
    idHexAt(chunk, 0),
    chunk,
  );
}

/** Writes sorted records as the chunks of run `run` of pack `packId`. */
export class RunWriter {
  private seq = 0;
  private readonly builder: ChunkBuilder;

  constructor(sql: SqlStorage, packId: number, run: number) {
    this.builder = new ChunkBuilder((chunk) => insertChunk(sql, packId, run, this.seq++, chunk));
  }

  push(src: Uint8Array, at: number): void {
    this.builder.push(src, at);
  }

  /** Writes the last chunk; returns how many distinct objects the run holds. */
  finish(): number {
    this.builder.flush();
    return this.builder.count;
  }
}

/** Chunk `seq` of run `run` of a pack's index, or null past its end. */
function readChunk(sql: SqlStorage, packId: number, run: number, seq: number): Uint8Array | null {
  const row = sql
    .exec<{ data: ArrayBuffer }>(
      'SELECT data FROM pack_index WHERE pack_id = ? AND run = ? AND seq = ?',
      packId,
      run,
      seq,
    )
    .toArray()[0];
  return row ? new Uint8Array(row.data) : null;
}

/** The chunks of one run, in order. */
function runSource(sql: SqlStorage, packId: number, run: number): ChunkSource {
  let seq = 0;
  return () => readChunk(sql, packId, run, seq++);
}

/** Index writing for one pack being received. */
export class PackIndexWriter {
  private runs = 0;
  private sealedCount: number | null = null;
  /** The paced seal under way (see `sealPaced`). */
  private sealing: Promise<void> | null = null;
  /** Encoded entries not yet written, in arrival order. */
  private records = new Uint8Array(RECORD_SIZE * 1024);
  private view = new DataView(this.records.buffer);
  private pending = 0;

  constructor(
    private readonly sql: SqlStorage,
    readonly packId: number,
  ) {}

  /** Encodes entries; every RUN_RECORDS of them are written as a sorted run. */
  add(entries: readonly PackEntry[]): void {
    if (this.sealedCount !== null || this.sealing !== null)
      throw new Error(`the index of pack ${this.packId} is already sealed`);
    for (const e of entries) {
      if ((this.pending + 1) * RECORD_SIZE > this.records.byteLength) this.grow();
      encodeRecord(e, this.records, this.pending * RECORD_SIZE, this.view);
      this.pending += 1;
      if (this.pending === RUN_RECORDS) this.writeRun(++this.runs);
    }
  }

  /** Writes the runs into the index readers use; returns the number of distinct objects. */
  seal(): number {
    if (this.sealedCount !== null) return this.sealedCount;
    if (this.sealing !== null) throw new Error(`the index of pack ${this.packId} is being sealed`);
    const merge = this.startSeal();
    if (typeof merge === 'number') return merge;
    mergeRuns(merge.sources, merge.out);
    return merge.end();
  }

  /**
   * As `seal`, handing the thread over while runs are merged (411,000 entries took 600 ms in one
   * piece, every other request to the repository waiting).
   */
  sealPaced(): Promise<void> {
    if (this.sealedCount !== null) return Promise.resolve();
    this.sealing ??= (async () => {
      const merge = this.startSeal();
      if (typeof merge === 'number') return;
      await mergeSortedRunsPaced(merge.sources, RECORD_SIZE, merge.out);
      merge.end();
    })();
    return this.sealing;
  }

  /**
   * Seals at once when no merge is needed (the count of objects), else the merge to run and `end`
   * to call after it (which returns the count).
   */
  private startSeal():
    | number
    | { sources: ChunkSource[]; out: (chunk: Uint8Array, at: number) => void; end: () => number } {
    if (this.runs === 0) {
      // Everything fit in one run (most pushes): it is the index as it stands.
      this.sealedCount = this.writeRun(SEALED);
      return this.sealedCount;
    }
    if (this.pending > 0) this.writeRun(++this.runs);
    const writer = new RunWriter(this.sql, this.packId, SEALED);
    const sources: ChunkSource[] = [];
    for (let r = 1; r <= this.runs; r++) sources.push(runSource(this.sql, this.packId, r));
    const end = (): number => {
      const count = writer.finish();
      this.sql.exec('DELETE FROM pack_index WHERE pack_id = ? AND run > 0', this.packId);
      this.sealedCount = count;
      return count;
    };
    return { sources, out: (chunk, at) => writer.push(chunk, at), end };
  }

  /** Writes the pending records, sorted, as run `run`; returns how many distinct ids it holds. */
  private writeRun(run: number): number {
    const out = new RunWriter(this.sql, this.packId, run);
    // Of two entries with one id, the first received stays (the order is stable).
    for (const i of sortedOrder(this.records, this.pending)) out.push(this.records, i * RECORD_SIZE);
    this.pending = 0;
    return out.finish();
  }

  private grow(): void {
    const bigger = new Uint8Array(Math.min(this.records.byteLength * 2, RUN_RECORDS * RECORD_SIZE));
    bigger.set(this.records);
    this.records = bigger;
    this.view = new DataView(bigger.buffer);
  }
}

/** The raw bytes to look `oid` up by; null for what is not an object id (never stored). */
export function oidKey(oid: string): Uint8Array | null {
  return isOid(oid) ? hexToBytes(oid) : null;
}

/** Lookups in sealed pack indexes, with the chunk directory of each pack kept in memory. */
export class PackIndexReader {
  /** Per pack: the first oid of each chunk, in order. */
  private readonly directories = new Map<number, string[]>();
  private readonly chunks = new ByteLru<string, Uint8Array>(INDEX_CACHE_BYTES);

  constructor(private readonly sql: SqlStorage) {}

  /** Let go of the cached index chunks (they are read again as needed). */
  clearCache(): void {
    this.chunks.clear();
  }

  /** Bound the cached index chunks to `bytes` from now on. */
  setCacheLimit(bytes: number): void {
    this.chunks.setLimit(bytes);
  }

  /** The entry of `oid` (whose bytes are `key`, see oidKey) in pack `packId`, or null. */
  lookup(packId: number, oid: Oid, key: Uint8Array): PackEntry | null {
    const seq = chunkOf(this.directory(packId), oid);
    if (seq < 0) return null;
    const chunk = this.chunk(packId, seq);
    const at = findRecord(chunk, key);
    return at < 0 ? null : decodeRecord(chunk, at, packId, oid);
  }

  /**
   * The entries of `oids` (sorted; `keys` their bytes) in pack `packId`, each found one handed to
   * `found` with its position. Neighbouring chunks are read with one statement for each run of
   * them, not one each: a batch of sorted lookups needs most chunks of its stretch of the index,
   * and in workerd a statement costs about what five rows of a range do. Not cached: the batch
   * has used them up.
   */
  lookupSorted(
    packId: number,
    oids: readonly Oid[],
    keys: readonly Uint8Array[],
    found: (i: number, e: PackEntry) => void,
  ): void {
    const dir = this.directory(packId);
    const seqs = oids.map((oid) => chunkOf(dir, oid));
    const take = (i: number, chunk: Uint8Array): void => {
      const at = findRecord(chunk, keys[i]);
      if (at >= 0) found(i, decodeRecord(chunk, at, packId, oids[i]));
    };
    let i = 0;
    while (i < oids.length) {
      if (seqs[i] < 0) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < oids.length && seqs[end] - seqs[end - 1] <= RANGE_GAP) end++;
      const from = seqs[i];
      const to = seqs[end - 1];
      if (from === to) {
        const chunk = this.chunk(packId, from);
        for (; i < end; i++) take(i, chunk);
        continue;
      }
      const rows = this.sql.exec<{ seq: number; data: ArrayBuffer }>(
        'SELECT seq, data FROM pack_index WHERE pack_id = ? AND run = ? AND seq BETWEEN ? AND ? ORDER BY seq',
        packId,
        SEALED,
        from,
        to,
      );
      for (const row of rows) {
        while (i < end && seqs[i] < row.seq) i++;
        if (i < end && seqs[i] === row.seq) {
          const chunk = new Uint8Array(row.data);
          for (; i < end && seqs[i] === row.seq; i++) take(i, chunk);
        }
      }
      i = end;
    }
  }

  /** Every record of a sealed pack, chunk by chunk in oid order (not cached: a full scan). */
  *chunksOf(packId: number): Generator<Uint8Array> {
    const next = runSource(this.sql, packId, SEALED);
    for (let c = next(); c !== null; c = next()) yield c;
  }

  /** Forget a dropped pack. */
  forget(packId: number): void {
    this.directories.delete(packId);
  }

  private directory(packId: number): string[] {
    let dir = this.directories.get(packId);
    if (dir === undefined) {
      dir = this.sql
        .exec<{ first_oid: string }>(
          'SELECT first_oid FROM pack_index WHERE pack_id = ? AND run = ? ORDER BY seq',
          packId,
          SEALED,
        )
        .toArray()
        .map((r) => r.first_oid);
      this.directories.set(packId, dir);
    }
    return dir;
  }

  private chunk(packId: number, seq: number): Uint8Array {
    const key = `${packId}:${seq}`;
    const hit = this.chunks.get(key);
    if (hit) return hit;
    const data = readChunk(this.sql, packId, SEALED, seq);
    if (data === null) throw new Error(`the index of pack ${packId} has no chunk ${seq}`);
    this.chunks.set(key, data);
    return data;
  }
}

/** The chunk of a pack's directory whose stretch holds `oid` (the last whose first oid is not above it), or -1. */
function chunkOf(dir: readonly string[], oid: Oid): number {
  let lo = 0;
  let hi = dir.length - 1;
  let seq = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (dir[mid] <= oid) {
      seq = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return seq;
}

/**
 * Calls `fn` with each distinct object of several sealed packs, in oid order (the record at `at`
 * of `chunk`; where packs share an object, the first pack's record). Memory: a chunk per pack.
 */
export function forEachDistinct(
  reader: PackIndexReader,
  packIds: readonly number[],
  fn: (chunk: Uint8Array, at: number) => void,
): void {
  const sources: ChunkSource[] = packIds.map((id) => {
    const it = reader.chunksOf(id);
    return () => {
      const r = it.next();
      return r.done ? null : r.value;
    };
  });
  const last = new Uint8Array(20);
  let any = false;
  mergeRuns(sources, (chunk, at) => {
    if (any && compareIds(chunk, at, last, 0) === 0) return;
    any = true;
    last.set(chunk.subarray(at, at + 20));
    fn(chunk, at);
  });
}

interface LegacyObjectRow extends Record<string, SqlStorageValue> {
  oid: string;
  offset: number;
  data_offset: number;
  end_offset: number;
  type: number;
  size: number;
  base_oid: string | null;
  depth: number;
  crc32: number;
}

/**
 * Schema step: the index rows of the old `objects` table (one SQLite row per object) become each
 * pack's sealed index. Streams each pack's rows in oid order, so memory stays a chunk.
 */
export function convertObjectRows(sql: SqlStorage): void {
  const packIds = sql.exec<{ id: number }>('SELECT id FROM packs ORDER BY id').toArray();
  const record = new Uint8Array(RECORD_SIZE);
  for (const { id } of packIds) {
    const out = new RunWriter(sql, id, SEALED);
    const rows = sql.exec<LegacyObjectRow>(
      `SELECT oid, offset, data_offset, end_offset, type, size, base_oid, depth, crc32
       FROM objects WHERE pack_id = ? ORDER BY oid`,
      id,
    );
    for (const r of rows) {
      const type = packTypeToType(r.type);
      if (type === null) throw new Error(`corrupt object index row for ${r.oid}`);
      encodeRecord(
        {
          oid: r.oid,
          packId: id,
          offset: r.offset,
          dataOffset: r.data_offset,
          end: r.end_offset,
          type,
          size: r.size,
          baseOid: r.base_oid,
          depth: r.depth,
          crc32: r.crc32,
        },
        record,
        0,
      );
      out.push(record, 0);
    }
    out.finish();
  }
}
