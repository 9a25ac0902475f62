/**
 * Where bookkeeping that grows with a push's object count goes once it passes a bounded size in
 * memory: numbered runs of chunks, each run written once in order and read back in order (or a
 * chunk at a time). The engine stays platform-free: the repository's object keeps runs in its
 * SQLite, beside the quarantined pack; tests and Node keep them in memory.
 */
export interface SpillStore {
  /** Store chunk `seq` of run `run` (a copy: the caller reuses it); chunks come in order from 0. */
  put(run: number, seq: number, chunk: Uint8Array): void;
  /** Chunk `seq` of run `run`, or null past its end. */
  get(run: number, seq: number): Uint8Array | null;
  /** Drop run `run`. */
  drop(run: number): void;
  /** Drop every run. */
  clear(): void;
}

/** Runs kept in memory (unit tests, tools): the same code paths, none of the savings. */
export class MemorySpillStore implements SpillStore {
  private readonly runs = new Map<number, Uint8Array[]>();
  /** Chunks written in all, for tests to see that spilling happened. */
  written = 0;

  put(run: number, seq: number, chunk: Uint8Array): void {
    const chunks = this.runs.get(run) ?? [];
    this.runs.set(run, chunks);
    if (seq !== chunks.length) throw new Error(`chunk ${seq} of run ${run} out of order`);
    chunks.push(chunk.slice());
    this.written++;
  }

  get(run: number, seq: number): Uint8Array | null {
    return this.runs.get(run)?.[seq] ?? null;
  }

  drop(run: number): void {
    this.runs.delete(run);
  }

  clear(): void {
    this.runs.clear();
  }

  /** Runs held now. */
  get size(): number {
    return this.runs.size;
  }
}
