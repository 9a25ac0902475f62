/**
 * Fixed-size records sorted by the object id at their start, kept as chunks of sorted runs: the
 * store's object index (storage/index-record.ts) and a push's spilled id set (spill/id-marks.ts)
 * are both read and merged this way.
 */
import { compareIds } from './oid-set';

/** Reads one sorted run of records chunk by chunk (null at its end). */
export type ChunkSource = () => Uint8Array | null;

/**
 * Merges sorted runs of `recordSize`-byte records into one sorted sequence, handing each record
 * to `out` (duplicates across runs included: the earlier run's record comes first). Memory: one
 * chunk per run.
 */
export function mergeSortedRuns(
  runs: readonly ChunkSource[],
  recordSize: number,
  out: (chunk: Uint8Array, at: number) => void,
): void {
  const chunks: (Uint8Array | null)[] = runs.map((next) => next());
  const pos = runs.map(() => 0);
  for (;;) {
    let best = -1;
    for (let r = 0; r < runs.length; r++) {
      const c = chunks[r];
      if (c === null) continue;
      if (best < 0 || compareIds(c, pos[r], chunks[best] as Uint8Array, pos[best]) < 0) best = r;
    }
    if (best < 0) return;
    const c = chunks[best] as Uint8Array;
    out(c, pos[best]);
    pos[best] += recordSize;
    if (pos[best] >= c.byteLength) {
      chunks[best] = runs[best]();
      pos[best] = 0;
    }
  }
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
