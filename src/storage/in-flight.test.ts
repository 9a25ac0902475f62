import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight';

const streamOf = (chunks: string[], fail?: Error) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      if (fail) controller.error(fail);
      else controller.close();
    },
  });

describe('InFlight', () => {
  it('is busy while a tracked stream is read, and passes its bytes through', async () => {
    const flight = new InFlight();
    const reader = flight.track(streamOf(['a', 'b'])).getReader();
    expect(flight.busy).toBe(true);
    const got: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read())
      got.push(new TextDecoder().decode(r.value));
    expect(got).toEqual(['a', 'b']);
    expect(flight.busy).toBe(false);
  });

  it('is no longer busy after a stream fails or is cancelled, and counts each once', async () => {
    const flight = new InFlight();
    const failing = flight.track(streamOf(['a'], new Error('boom'))).getReader();
    const cancelled = flight.track(streamOf(['a', 'b']));
    const open = flight.track(streamOf(['x']));
    // (An errored stream drops what it had queued: the first read fails.)
    await expect(failing.read()).rejects.toThrow('boom');
    await cancelled.cancel();
    await cancelled.cancel().catch(() => undefined);
    expect(flight.busy).toBe(true);
    await open.getReader().cancel();
    expect(flight.busy).toBe(false);
  });
});
