/**
 * Fixed-size records sorted by the object id at their start, kept as chunks of sorted runs: the
 * store's object index (storage/index-record.ts) and a push's spilled id set (spill/id-marks.ts)
 * are both read and merged this way.
 */
import { compareIds } from './oid-set';
import { handOver } from './pacer';

/** Reads one sorted run of records chunk by chunk (null at its end). */
export type ChunkSource = () => Uint8Array | null;

/**
 * Merges sorted runs of `recordSize`-byte records into one sorted sequence, handed out a step at a
 * time (duplicates across runs included: the earlier run's record comes first). Memory: one chunk
 * per run.
 */
export class SortedRunMerge {
  private readonly chunks: (Uint8Array | null)[];
  private readonly pos: number[];

  constructor(
    private readonly runs: readonly ChunkSource[],
    private readonly recordSize: number,
  ) {
    this.chunks = runs.map((next) => next());
    this.pos = runs.map(() => 0);
  }

  /** Hands up to `limit` next records to `out`; false once every run is read to its end. */
  step(out: (chunk: Uint8Array, at: number) => void, limit = Number.POSITIVE_INFINITY): boolean {
    const { chunks, pos, runs } = this;
    for (let n = 0; n < limit; n++) {
      let best = -1;
      for (let r = 0; r < runs.length; r++) {
        const c = chunks[r];
        if (c === null) continue;
        if (best < 0 || compareIds(c, pos[r], chunks[best] as Uint8Array, pos[best]) < 0) best = r;
      }
      if (best < 0) return false;
      const c = chunks[best] as Uint8Array;
      out(c, pos[best]);
      pos[best] += this.recordSize;
      if (pos[best] >= c.byteLength) {
        chunks[best] = runs[best]();
        pos[best] = 0;
      }
    }
    return true;
  }
}

/** The whole merge of `runs` at once (see `SortedRunMerge`). */
export function mergeSortedRuns(
  runs: readonly ChunkSource[],
  recordSize: number,
  out: (chunk: Uint8Array, at: number) => void,
): void {
  new SortedRunMerge(runs, recordSize).step(out);
}

/**
 * Records merged between two pauses of `mergeSortedRunsPaced`: a few milliseconds of work (the
 * merge of a push's 800,000 ids took 400 ms in one piece, a ref listing waiting all along).
 */
const PACED_STEP = 8192;

/** As `mergeSortedRuns`, handing the thread over between steps (see pacer.ts). */
export async function mergeSortedRunsPaced(
  runs: readonly ChunkSource[],
  recordSize: number,
  out: (chunk: Uint8Array, at: number) => void,
): Promise<void> {
  const merge = new SortedRunMerge(runs, recordSize);
  while (merge.step(out, PACED_STEP)) await handOver();
}

/** Byte position of the record for `key` (20 raw bytes) in a sorted chunk, or -1. */
export function findSortedRecord(chunk: Uint8Array, recordSize: number, key: Uint8Array): number {
  let lo = 0;
  let hi = Math.floor(chunk.byteLength / recordSize) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareIds(chunk, mid * recordSize, key, 0);
    if (c === 0) return mid * recordSize;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
