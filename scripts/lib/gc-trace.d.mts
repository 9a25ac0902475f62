// Types for gc-trace.mjs (the benchmark's reading of V8's --trace-gc-verbose output).
export interface IsolatePeak {
  liveKiB: number;
  heapKiB: number;
  buffersKiB: number;
  heldKiB: number;
  fullGcs: number;
}
export function gcTracker(): {
  feed(chunk: string): void;
  take(): Record<string, IsolatePeak>;
  app(): string | null;
};
