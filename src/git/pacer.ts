/**
 * Long loops of the engine (walks, indexing, looking up what a pack is written from) share one
 * thread with every other request to the repository, and most of their awaits are on reads
 * already answered (SQLite is synchronous, caches hit): those resolve as microtasks, so the event
 * loop never turns and a ref listing that arrives meanwhile waits for the whole loop (2.2 s
 * beside a push of the medium benchmark history, measured). A pacer hands the thread over every
 * so many units of work. It counts rather than times: inside the runtime the clock stands still
 * while code runs.
 */

/** Units of work between two pauses, when the caller does not say. */
const DEFAULT_EVERY = 256;
/** Bytes an object moves that count as one more unit: copying or hashing a big blob is work. */
const UNIT_BYTES = 16 * 1024;

export class Pacer {
  private count = 0;

  constructor(private readonly every = DEFAULT_EVERY) {}

  /**
   * Count one unit of work, and one more for each 16 KiB of `bytes` it moved (a clone wrote 128 MB
   * of big blobs between two pauses counted by objects alone). Once `every` units are counted, a
   * promise that resolves when the event loop has turned (a timer: other requests' input is
   * handled first); otherwise undefined, so the common case costs no promise:
   * `const p = pacer.tick(); if (p) await p;`.
   */
  tick(bytes = 0): Promise<void> | undefined {
    this.count += 1 + Math.floor(bytes / UNIT_BYTES);
    if (this.count < this.every) return undefined;
    this.count = 0;
    return handOver();
  }
}

/** A promise that resolves once the event loop has turned: other requests' input comes first. */
export function handOver(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
