/**
 * The whole rebuild of the cached pack: when more than the repair's window lies past the last
 * usable layer (or no layer is usable), everything reachable from the refs is written as one new
 * pack, which becomes the only layer.
 *
 * In bounded memory, and in steps across alarms: the walk records each object once in a SQLite
 * table (whole-rebuild-walk.ts); the pack is then written in the stored order of the packs the
 * objects were found in (the cached pack's layers first: the order its clones were served in),
 * copying each entry as stored and keeping a delta whose base was written before it (no delta
 * cycle can arise), else writing the object whole. Its object index comes from the table (the
 * new offsets and CRCs), not from indexing the pack again. Once it is published, the packs it
 * replaces are retired (what they hold besides goes into a pack of its own first). Progress lives in `meta`, the pack's
 * bytes in rows of a pack in state 'rebuild' (not live, and not a push's quarantine, which a new
 * instance drops). A push meanwhile is kept: the new layer has the refs at the start as its tips,
 * and later pushes layer on it or the next repair catches up.
 */
import type { ObjectDatabase } from '../git/odb';
import { hexToBytes } from '../git/oid';
import { Pacer } from '../git/pacer';
import { type DeltaBases, encodeEntry, packHeader } from '../git/pack/write-pack';
import type { Oid } from '../git/store';
import type { SqlCachedPackStore } from './cached-pack';
import { decodeRecord, encodeRecord, RECORD_SIZE } from './index-record';
import { deleteMeta, readMeta, writeMeta } from './meta';
import { CHUNK_SIZE } from './pack-chunks';
import { RunWriter } from './pack-index';
import { dropPack, placeholders, type SqlPackStore } from './pack-store';
import { REBUILD_TABLES, RebuildWalk } from './whole-rebuild-walk';

const STATE_KEY = 'cached_pack_rebuild';
/** Rows of the table read at once while writing. */
const BATCH = 512;
const PACK_HEADER = 12;

interface RebuildState {
  /** The pack being written (state 'rebuild'). */
  packId: number;
  /** The refs' targets when the rebuild started: the new layer's tips. */
  tips: Oid[];
  phase: 'walk' | 'write';
  /** Walk: objects still to visit. */
  stack: Oid[];
  /** Objects recorded by the walk. */
  objects: number;
  /** Write: the packs objects are copied from, in order; the one at `at`, past offset `after`. */
  order: number[];
  at: number;
  after: number;
  /** Bytes of the new pack written. */
  size: number;
}

export interface RebuildDeps {
  readonly storage: DurableObjectStorage;
  readonly packs: SqlPackStore;
  readonly odb: ObjectDatabase;
  readonly cached: SqlCachedPackStore;
}

export type WholeRebuildResult =
  | { kind: 'partial'; phase: 'walk' | 'write'; objects: number }
  | { kind: 'abandoned'; reason: string }
  | { kind: 'rebuilt'; objects: number; packId: number; retired: number[] };

export function wholeRebuildRunning(sql: SqlStorage): boolean {
  return loadState(sql) !== null;
}

/** Start a whole rebuild of the objects reachable from `tips` (its first step is `stepWholeRebuild`). */
export function startWholeRebuild(sql: SqlStorage, tips: readonly Oid[]): void {
  sql.exec(REBUILD_TABLES);
  sql.exec('DELETE FROM rebuild_objects');
  const packId = sql
    .exec<{ id: number }>(
      "INSERT INTO packs (state, created_at) VALUES ('rebuild', ?) RETURNING id",
      Date.now(),
    )
    .one().id;
  saveState(sql, {
    packId,
    tips: [...tips],
    phase: 'walk',
    stack: [...tips].reverse(),
    objects: 0,
    order: [],
    at: 0,
    after: -1,
    size: 0,
  });
}

/**
 * Go on with the rebuild for up to `budget` objects (walked, then written): finished and
 * published, or still partial (call again, from a later alarm), or abandoned (a pack it copies
 * from was deleted meanwhile; a later repair starts over).
 */
export async function stepWholeRebuild(
  deps: RebuildDeps,
  budget: number,
  onPublish: (packId: number) => Promise<number[]>,
): Promise<WholeRebuildResult> {
  const sql = deps.storage.sql;
  const state = loadState(sql);
  if (state === null) return { kind: 'abandoned', reason: 'no rebuild running' };
  const missing = missingSources(sql, state);
  if (missing !== null) {
    abandon(sql, state);
    return { kind: 'abandoned', reason: missing };
  }
  let left = budget;
  if (state.phase === 'walk') {
    const walk = new RebuildWalk(sql, deps.packs, deps.odb, state.stack);
    const walked = await walk.run(left);
    state.objects += walked.recorded;
    left -= walked.recorded;
    if (!walked.done) {
      saveState(sql, state);
      return { kind: 'partial', phase: 'walk', objects: state.objects };
    }
    startWriting(sql, deps.cached, state);
  }
  const written = await writeEntries(deps, state, left);
  if (!written) {
    saveState(sql, state);
    return { kind: 'partial', phase: 'write', objects: state.objects };
  }
  return seal(deps, state, onPublish);
}

function startWriting(sql: SqlStorage, cached: SqlCachedPackStore, state: RebuildState): void {
  const sources = sql
    .exec<{ pack_id: number }>('SELECT DISTINCT pack_id FROM rebuild_objects ORDER BY pack_id')
    .toArray()
    .map((r) => r.pack_id);
  const present = new Set(sources);
  const layered = cached
    .layerPacks()
    .flat()
    .filter((id) => present.has(id));
  const first = new Set(layered);
  state.phase = 'write';
  state.stack = [];
  state.order = [...layered, ...sources.filter((id) => !first.has(id))];
  state.at = 0;
  state.after = -1;
  const out = new ChunkAppender(sql, state.packId, 0);
  out.append(packHeader(state.objects));
  out.save();
  state.size = PACK_HEADER;
  saveState(sql, state);
}

/** Copy up to `budget` more entries into the new pack; true when all are written. */
async function writeEntries(deps: RebuildDeps, state: RebuildState, budget: number): Promise<boolean> {
  const { sql } = deps.storage;
  const odb = deps.odb;
  const out = new ChunkAppender(sql, state.packId, state.size);
  const record = new Uint8Array(RECORD_SIZE);
  // A delta is kept only against a base written before it: an ofs-delta, never a cycle.
  const bases: DeltaBases = {
    offset: (oid) => writtenAt(sql, oid),
    inPack: (oid) => writtenAt(sql, oid) !== undefined,
  };
  let left = budget;
  // Its reads are answered at once (SQLite, caches): without pauses nothing else would run.
  const pacer = new Pacer();
  for (; state.at < state.order.length; state.at++, state.after = -1) {
    const source = state.order[state.at];
    for (;;) {
      const rows = sql
        .exec<{ oid: ArrayBuffer; entry: ArrayBuffer }>(
          'SELECT oid, entry FROM rebuild_objects WHERE pack_id = ? AND offset > ? ORDER BY offset LIMIT ?',
          source,
          state.after,
          BATCH,
        )
        .toArray();
      if (rows.length === 0) break;
      for (const row of rows) {
        if (left <= 0) {
          out.save();
          return false;
        }
        const e = decodeRecord(new Uint8Array(row.entry), 0, source);
        const pause = pacer.tick(e.end - e.dataOffset);
        if (pause) await pause;
        const offset = state.size;
        const { parts, delta } = await encodeEntry(e, offset, odb, { ofsDelta: true }, bases);
        let crc = 0;
        let length = 0;
        for (const p of parts) {
          crc = odb.crc32(crc, p);
          length += p.byteLength;
          out.append(p);
        }
        const zlib = parts[parts.length - 1].byteLength;
        encodeRecord(
          {
            oid: e.oid,
            packId: state.packId,
            offset,
            dataOffset: offset + length - zlib,
            end: offset + length,
            type: e.type,
            size: e.size,
            baseOid: delta ? e.baseOid : null,
            depth: delta ? e.depth : 0,
            crc32: crc,
          },
          record,
          0,
        );
        sql.exec(
          'UPDATE rebuild_objects SET new_offset = ?, written = ? WHERE oid = ?',
          offset,
          record,
          new Uint8Array(row.oid),
        );
        state.size += length;
        state.after = e.offset;
        left -= 1;
      }
    }
  }
  out.save();
  return true;
}

function writtenAt(sql: SqlStorage, oid: Oid): number | undefined {
  const row = sql
    .exec<{ new_offset: number | null }>(
      'SELECT new_offset FROM rebuild_objects WHERE oid = ?',
      hexToBytes(oid),
    )
    .toArray()[0];
  return row?.new_offset ?? undefined;
}

/** The trailer, the object index from the table, then the pack becomes the cached pack. */
async function seal(
  deps: RebuildDeps,
  state: RebuildState,
  onPublish: (packId: number) => Promise<number[]>,
): Promise<WholeRebuildResult> {
  const { sql } = deps.storage;
  const sha = deps.odb.createSha1();
  for (const row of sql.exec<{ data: ArrayBuffer }>(
    'SELECT data FROM pack_chunks WHERE pack_id = ? ORDER BY seq',
    state.packId,
  )) {
    sha.update(new Uint8Array(row.data));
  }
  const out = new ChunkAppender(sql, state.packId, state.size);
  out.append(sha.digest());
  out.save();
  state.size += 20;
  const index = new RunWriter(sql, state.packId, 0);
  for (const row of sql.exec<{ written: ArrayBuffer | null }>(
    'SELECT written FROM rebuild_objects ORDER BY oid',
  )) {
    if (row.written === null) throw new Error('an object of the rebuild was not written');
    index.push(new Uint8Array(row.written), 0);
  }
  const objects = index.finish();
  if (objects !== state.objects) {
    abandon(sql, state);
    return { kind: 'abandoned', reason: `indexed ${objects} of ${state.objects} objects` };
  }
  deps.storage.transactionSync(() => {
    sql.exec(
      "UPDATE packs SET state = 'live', size = ?, object_count = ? WHERE id = ?",
      state.size,
      objects,
      state.packId,
    );
    deps.cached.replaceAll(state.packId, state.tips);
    clearState(sql);
  });
  deps.packs.forgetLivePacks();
  return { kind: 'rebuilt', objects, packId: state.packId, retired: await onPublish(state.packId) };
}

/** Why the rebuild cannot go on (a pack it copies from, or its own, is gone), or null. */
function missingSources(sql: SqlStorage, state: RebuildState): string | null {
  const own = sql.exec("SELECT 1 FROM packs WHERE id = ? AND state = 'rebuild'", state.packId).toArray();
  if (own.length === 0) return 'the pack being written is gone';
  const sources =
    state.phase === 'write'
      ? state.order
      : sql
          .exec<{ pack_id: number }>('SELECT DISTINCT pack_id FROM rebuild_objects')
          .toArray()
          .map((r) => r.pack_id);
  if (sources.length === 0) return null;
  const n = sql
    .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM packs WHERE id IN (${placeholders(sources)})`, ...sources)
    .one().n;
  return n === sources.length ? null : 'a pack it copies from was deleted';
}

function abandon(sql: SqlStorage, state: RebuildState): void {
  dropPack(sql, state.packId);
  clearState(sql);
}

function clearState(sql: SqlStorage): void {
  sql.exec('DROP TABLE IF EXISTS rebuild_objects');
  deleteMeta(sql, STATE_KEY);
}

function loadState(sql: SqlStorage): RebuildState | null {
  const value = readMeta(sql, STATE_KEY);
  return value === null ? null : (JSON.parse(value) as RebuildState);
}

function saveState(sql: SqlStorage, state: RebuildState): void {
  writeMeta(sql, STATE_KEY, JSON.stringify(state));
}

/**
 * Appends to the chunk rows of a pack written over several steps: the last, partial row is
 * stored at each stop and read back at the next start (the pack is not live until finished).
 */
class ChunkAppender {
  private seq: number;
  private readonly tail = new Uint8Array(CHUNK_SIZE);
  private tailLength: number;

  constructor(
    private readonly sql: SqlStorage,
    private readonly packId: number,
    size: number,
  ) {
    this.seq = Math.floor(size / CHUNK_SIZE);
    this.tailLength = size % CHUNK_SIZE;
    if (this.tailLength > 0) {
      const row = sql
        .exec<{ data: ArrayBuffer }>(
          'SELECT data FROM pack_chunks WHERE pack_id = ? AND seq = ?',
          packId,
          this.seq,
        )
        .one();
      this.tail.set(new Uint8Array(row.data, 0, this.tailLength));
    }
  }

  append(bytes: Uint8Array): void {
    let pos = 0;
    while (pos < bytes.byteLength) {
      const n = Math.min(CHUNK_SIZE - this.tailLength, bytes.byteLength - pos);
      this.tail.set(bytes.subarray(pos, pos + n), this.tailLength);
      this.tailLength += n;
      pos += n;
      if (this.tailLength === CHUNK_SIZE) {
        this.save();
        this.seq += 1;
        this.tailLength = 0;
      }
    }
  }

  /** Store the current row as far as it is filled. */
  save(): void {
    if (this.tailLength === 0) return;
    this.sql.exec(
      'INSERT OR REPLACE INTO pack_chunks (pack_id, seq, data) VALUES (?, ?, ?)',
      this.packId,
      this.seq,
      this.tail.slice(0, this.tailLength),
    );
  }
}
