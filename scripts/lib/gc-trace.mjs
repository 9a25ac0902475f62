// V8's own account of an isolate's memory, read from workerd's output when it runs with
// `--trace-gc-verbose --no-concurrent-array-buffer-sweeping` (bench.mjs --trace-gc). After each
// garbage collection V8 prints its spaces and the array buffers' backing stores. After a full one
// (Mark-Compact) what is left is live: the JavaScript heap's live objects plus live array
// buffers (which the heap cap does not bound); after any one, the sum is what the isolate holds
// then, garbage not yet collected included. Resident memory (procmem.mjs) counts the whole
// runtime; this counts one isolate, the unit the 128 MB limit applies to.

/** V8 prefixes each line with `[pid:isolate]`; the isolate's address tells isolates apart. */
const LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+(.*)$/;
const kib = (text, label) => {
  const m = new RegExp(`^${label}\\s*(?:,\\s*used:)?\\s*(\\d+) KB`).exec(text);
  return m ? Number(m[1]) : null;
};

/**
 * Feeds on the server's output. `take()` returns the peaks since the last `take()` per isolate:
 * {[isolate]: {liveKiB, heapKiB, buffersKiB, heldKiB, fullGcs}} (live figures
 * from full collections only, 0 when none ran). `app()` names the isolate with the largest heap
 * seen so far: the app's (the runtime's own helpers, such as local R2, are a few MiB).
 */
export function gcTracker() {
  /** isolate -> the collection being printed: {full, heapKiB} */
  const printing = new Map();
  const everHeap = new Map();
  let peaks = new Map();
  let rest = '';
  const record = (isolate, full, heap, buffers) => {
    everHeap.set(isolate, Math.max(everHeap.get(isolate) ?? 0, heap));
    const p = peaks.get(isolate) ?? { liveKiB: 0, heapKiB: 0, buffersKiB: 0, heldKiB: 0, fullGcs: 0 };
    p.heldKiB = Math.max(p.heldKiB, heap + buffers);
    if (full) p.fullGcs++;
    if (full && heap + buffers > p.liveKiB)
      Object.assign(p, { liveKiB: heap + buffers, heapKiB: heap, buffersKiB: buffers });
    peaks.set(isolate, p);
  };
  const line = (l) => {
    const m = LINE.exec(l);
    if (!m) return;
    const [, isolate, text] = m;
    if (/ ms: (Mark-Compact|Scavenge|Minor Mark)/.test(text)) {
      const full = text.includes('Mark-Compact');
      printing.set(isolate, { full, heapKiB: null });
      return;
    }
    const gc = printing.get(isolate);
    if (!gc) return;
    const heap = kib(text, 'All spaces');
    if (heap !== null) gc.heapKiB = heap;
    const buffers = kib(text, 'Backing store memory:');
    if (buffers === null || gc.heapKiB === null) return;
    printing.delete(isolate);
    record(isolate, gc.full, gc.heapKiB, buffers);
  };
  return {
    feed(chunk) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) line(l);
    },
    take() {
      const out = Object.fromEntries(peaks);
      peaks = new Map();
      return out;
    },
    app() {
      return [...everHeap].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    },
  };
}
