import { describe, expect, it } from 'vitest';
import { gcTracker } from '../../scripts/lib/gc-trace.mjs';

/** One collection as V8's --trace-gc-verbose prints it (fields the tracker ignores abridged). */
function gc(isolate: string, kind: 'Scavenge' | 'Mark-Compact', heapKiB: number, buffersKiB: number): string {
  const p = `[4242:${isolate}]`;
  return [
    `${p}     1234 ms: ${kind} 20.1 (25.3) -> 15.2 (24.1) MB, 1.20 / 0.00 ms  (average mu = 1.000) allocation failure; `,
    `${p} Memory allocator,       used:   9999 KB, available: 4238360 KB`,
    `${p} Old space,              used:   2476 KB, available:      7 KB, committed:   2528 KB`,
    `${p} All spaces,             used:  ${heapKiB} KB, available: 4239868 KB, committed:   5096 KB`,
    `${p} External memory reported:  77777 KB`,
    `${p} Backing store memory:  ${buffersKiB} KB`,
    `${p} Total time spent in GC  : 19.2 ms`,
    '',
  ].join('\n');
}

describe('gcTracker', () => {
  it('counts live memory at full collections only, and what is held at any, per isolate', () => {
    const t = gcTracker();
    const text =
      gc('0xa', 'Mark-Compact', 17000, 6000) +
      gc('0xa', 'Scavenge', 20000, 70000) +
      gc('0xa', 'Mark-Compact', 16000, 5000) +
      gc('0xb', 'Mark-Compact', 4000, 60000) +
      'a log line of the app, not V8\n';
    // Split mid-line: the server's output arrives in arbitrary chunks.
    t.feed(text.slice(0, 333));
    t.feed(text.slice(333));
    expect(t.take()).toEqual({
      '0xa': { liveKiB: 23000, heapKiB: 17000, buffersKiB: 6000, heldKiB: 90000, fullGcs: 2 },
      '0xb': { liveKiB: 64000, heapKiB: 4000, buffersKiB: 60000, heldKiB: 64000, fullGcs: 1 },
    });
    // The app's isolate is the one with the largest heap, however much another one's buffers held.
    expect(t.app()).toBe('0xa');
  });

  it('starts afresh after take(): an operation without collections has no peaks', () => {
    const t = gcTracker();
    t.feed(gc('0xa', 'Mark-Compact', 17000, 6000));
    expect(Object.keys(t.take())).toEqual(['0xa']);
    expect(t.take()).toEqual({});
    t.feed(gc('0xa', 'Scavenge', 18000, 1000));
    expect(t.take()).toEqual({
      '0xa': { liveKiB: 0, heapKiB: 0, buffersKiB: 0, heldKiB: 19000, fullGcs: 0 },
    });
  });
});
