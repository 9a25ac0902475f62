/**
 * A set of object ids with mark bits (see `OidSet`) whose memory stays bounded however many ids
 * it takes. Up to `limit` distinct ids live in an `OidSet`; past that, the table is written to a
 * `SpillStore` as a run sorted by id (21 bytes a record: the id, its marks) and emptied. Once
 * every id is in, the runs are merged into one (marks of an id OR-ed across runs), read in id
 * order for listings and by a directory of each chunk's first id for lookups. Memory: the table,
 * a chunk per run while merging, a chunk and the directory (20 bytes per 1,024 ids) afterwards.
 * Below `limit` nothing is spilled and it is the `OidSet` itself.
 */
import { ObjectError } from '../errors';
import { hexInto, idHexAt } from '../oid';
import { compareIds, OidSet } from '../oid-set';
import { handOver } from '../pacer';
import { type ChunkSource, findSortedRecord, mergeSortedRuns, mergeSortedRunsPaced } from '../sorted-records';
import type { Oid } from '../store';
import type { SpillStore } from './spill-store';

const OID_BYTES = 20;
const RECORD = OID_BYTES + 1;
const CHUNK_RECORDS = 1024;
/** Chunks of a spilled set scanned between two pauses of `markedPaced`. */
const PACED_CHUNKS = 32;
/**
 * Distinct ids kept in memory before a run is spilled: a table of 2^18 slots, 5.5 MiB (8.3 while
 * it doubles). At 2^18 ids the table and its doubling held up to 16.5 MiB beside the indexer's
 * tables in a push past 131,072 ids; a spilled run of 2^17 ids writes 2.75 MB.
 */
export const DEFAULT_SPILL_IDS = 1 << 17;
/**
 * Answers of `has` kept once spilled: a push's new tips are asked about by its connectivity
 * check, by its cached-pack layer and by the layer's outside objects, and each answer read a
 * chunk (971 tags: ~225 ms a pass). Tips are few; past this many the answers start over.
 */
const ANSWERS_KEPT = 16384;

/** A run written to the store: its number, each chunk's first id, its records. */
interface Run {
  readonly run: number;
  readonly firstIds: Uint8Array;
  readonly chunks: number;
  readonly records: number;
}

export class IdMarks {
  private readonly memory: OidSet;
  private readonly runs: Run[] = [];
  private nextRun = 1;
  /** The runs merged into one, once the first query came after spilling. */
  private merged: Run | null = null;
  /** The paced merge under way (see `seal`). */
  private sealing: Promise<void> | null = null;
  /** Ids per mark value in the merged run (index: the marks byte). */
  private readonly markCounts = new Float64Array(256);
  /** The chunk of the merged run last read by a lookup. */
  private lastChunk: { seq: number; data: Uint8Array } | null = null;
  private readonly scratch = new Uint8Array(OID_BYTES);
  /** The marks of ids asked about once spilled (see ANSWERS_KEPT); the set no longer changes then. */
  private readonly answers = new Map<Oid, number>();

  /** `spill`: where runs go (none: everything stays in memory); `limit`: distinct ids in memory. */
  constructor(
    private readonly spill?: SpillStore,
    private readonly limit = DEFAULT_SPILL_IDS,
  ) {
    this.memory = new OidSet();
  }

  /** Whether some ids went to the spill store. */
  get spilled(): boolean {
    return this.runs.length > 0 || this.merged !== null;
  }

  /**
   * Add the id at `bytes[at .. at + 20]` with `mark`. Returns the marks it had before as far as
   * memory knows (ids spilled earlier count as new: use `count` for totals).
   */
  addBytes(bytes: Uint8Array, at = 0, mark = 1): number {
    if (this.merged !== null || this.sealing !== null) throw new Error('ids added after the set was read');
    if (this.spill !== undefined && this.memory.size >= this.limit) this.spillMemory();
    return this.memory.addBytes(bytes, at, mark);
  }

  add(oid: Oid, mark = 1): number {
    return this.addBytes(this.parse(oid), 0, mark);
  }

  /** Whether the id is in the set with some bit of `mark`. */
  has(oid: Oid, mark = 0xff): boolean {
    const merged = this.mergedRun();
    if (merged === null) return this.memory.has(oid, mark);
    let marks = this.answers.get(oid);
    if (marks === undefined) {
      marks = this.marksOf(merged, this.parse(oid));
      if (this.answers.size >= ANSWERS_KEPT) this.answers.clear();
      this.answers.set(oid, marks);
    }
    return (marks & mark) !== 0;
  }

  /** The ids with some bit of `mark` and none of `without`, in id order once spilled. */
  *marked(mark: number, without = 0): IterableIterator<Oid> {
    const merged = this.mergedRun();
    if (merged === null) {
      yield* this.memory.marked(mark, without);
      return;
    }
    for (let seq = 0; seq < merged.chunks; seq++) yield* this.markedIn(merged, seq, mark, without);
  }

  /**
   * As `marked`, handing the thread over between chunks of a spilled set: a scan of a push's
   * 800,000 ids that finds few took 100 ms in one piece.
   */
  async *markedPaced(mark: number, without = 0): AsyncGenerator<Oid> {
    const merged = this.mergedRun();
    if (merged === null) {
      yield* this.memory.marked(mark, without);
      return;
    }
    for (let seq = 0; seq < merged.chunks; seq++) {
      if (seq > 0 && seq % PACED_CHUNKS === 0) await handOver();
      yield* this.markedIn(merged, seq, mark, without);
    }
  }

  private *markedIn(merged: Run, seq: number, mark: number, without: number): Generator<Oid> {
    const chunk = this.chunk(merged, seq);
    for (let at = 0; at < chunk.length; at += RECORD) {
      const m = chunk[at + OID_BYTES];
      if ((m & mark) !== 0 && (m & without) === 0) yield idHexAt(chunk, at);
    }
  }

  /** How many ids carry some bit of `mark`. */
  count(mark: number): number {
    const merged = this.mergedRun();
    if (merged === null) return this.memory.countMarked(mark);
    let n = 0;
    for (let m = 1; m < 256; m++) if ((m & mark) !== 0) n += this.markCounts[m];
    return n;
  }

  /** Drop what was spilled (the set is empty afterwards). */
  dispose(): void {
    this.spill?.clear();
    this.runs.length = 0;
    this.merged = null;
    this.lastChunk = null;
    this.answers.clear();
    this.memory.clear();
  }

  private parse(oid: Oid): Uint8Array {
    if (!hexInto(oid, this.scratch, 0)) throw new ObjectError('INVALID_OID', `invalid object id: ${oid}`);
    return this.scratch;
  }

  /** Write the table as a sorted run and empty it. */
  private spillMemory(): void {
    const out = this.runWriter();
    this.memory.forEachSorted((bytes, at, marks) => out.push(bytes, at, marks));
    this.runs.push(out.finish());
    this.memory.clear();
  }

  /**
   * Merge what was spilled now, handing the thread over between steps (a push's 800,000 ids took
   * 400 ms in one piece); queries after it find the set merged. Without it the first query merges.
   */
  async seal(): Promise<void> {
    if (this.merged !== null || this.runs.length === 0) return;
    this.sealing ??= (async () => {
      const merge = this.startMerge();
      await mergeSortedRunsPaced(merge.sources, RECORD, merge.out);
      merge.end();
    })();
    await this.sealing;
  }

  /** The merged run, merging on the first call after spilling; null when nothing was spilled. */
  private mergedRun(): Run | null {
    if (this.merged !== null || this.runs.length === 0) return this.merged;
    if (this.sealing !== null) throw new Error('the id set is being merged');
    const merge = this.startMerge();
    mergeSortedRuns(merge.sources, RECORD, merge.out);
    merge.end();
    return this.merged;
  }

  /** The runs to merge, where each merged record goes, and `end` to call once all went. */
  private startMerge(): {
    sources: ChunkSource[];
    out: (chunk: Uint8Array, at: number) => void;
    end: () => void;
  } {
    if (this.memory.size > 0) this.spillMemory();
    const out = this.runWriter();
    const store = this.store();
    const sources = this.runs.map((r) => {
      let seq = 0;
      return () => (seq < r.chunks ? store.get(r.run, seq++) : null);
    });
    // Equal ids come out one after another: their marks are OR-ed into one record.
    const last = new Uint8Array(OID_BYTES);
    let lastMarks = 0;
    const flush = (): void => {
      if (lastMarks === 0) return;
      this.markCounts[lastMarks]++;
      out.push(last, 0, lastMarks);
    };
    const merged = (chunk: Uint8Array, at: number): void => {
      if (lastMarks !== 0 && compareIds(last, 0, chunk, at) === 0) {
        lastMarks |= chunk[at + OID_BYTES];
      } else {
        flush();
        last.set(chunk.subarray(at, at + OID_BYTES));
        lastMarks = chunk[at + OID_BYTES];
      }
    };
    const end = (): void => {
      flush();
      for (const r of this.runs) store.drop(r.run);
      this.runs.length = 0;
      this.merged = out.finish();
    };
    return { sources, out: merged, end };
  }

  private store(): SpillStore {
    if (this.spill === undefined) throw new Error('no spill store');
    return this.spill;
  }

  private runWriter(): RunWriter {
    return new RunWriter(this.store(), this.nextRun++);
  }

  private chunk(run: Run, seq: number): Uint8Array {
    if (this.lastChunk?.seq === seq) return this.lastChunk.data;
    const data = this.store().get(run.run, seq);
    if (data === null) throw new Error(`spilled run ${run.run} has no chunk ${seq}`);
    this.lastChunk = { seq, data };
    return data;
  }

  /** The marks of `key` in the merged run, 0 when absent. */
  private marksOf(run: Run, key: Uint8Array): number {
    // The last chunk whose first id is not above the key.
    let lo = 0;
    let hi = run.chunks - 1;
    let seq = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds(run.firstIds, mid * OID_BYTES, key, 0) <= 0) {
        seq = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (seq < 0) return 0;
    const chunk = this.chunk(run, seq);
    const at = findSortedRecord(chunk, RECORD, key);
    return at < 0 ? 0 : chunk[at + OID_BYTES];
  }
}

/** Writes sorted records as the chunks of one run. */
class RunWriter {
  private chunk = new Uint8Array(CHUNK_RECORDS * RECORD);
  private used = 0;
  private seq = 0;
  private records = 0;
  private firstIds = new Uint8Array(OID_BYTES * 16);

  constructor(
    private readonly store: SpillStore,
    private readonly run: number,
  ) {}

  push(bytes: Uint8Array, at: number, marks: number): void {
    const pos = this.used * RECORD;
    this.chunk.set(bytes.subarray(at, at + OID_BYTES), pos);
    this.chunk[pos + OID_BYTES] = marks;
    this.records++;
    if (++this.used === CHUNK_RECORDS) this.flush();
  }

  finish(): Run {
    this.flush();
    return {
      run: this.run,
      firstIds: this.firstIds.slice(0, this.seq * OID_BYTES),
      chunks: this.seq,
      records: this.records,
    };
  }

  private flush(): void {
    if (this.used === 0) return;
    if ((this.seq + 1) * OID_BYTES > this.firstIds.length) {
      const bigger = new Uint8Array(this.firstIds.length * 2);
      bigger.set(this.firstIds);
      this.firstIds = bigger;
    }
    this.firstIds.set(this.chunk.subarray(0, OID_BYTES), this.seq * OID_BYTES);
    this.store.put(this.run, this.seq++, this.chunk.subarray(0, this.used * RECORD));
    this.used = 0;
  }
}
