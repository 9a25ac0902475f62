// throughNative's contract, on the stream Node has in place of the runtime's native one: the same
// bytes in order, onEnd once after the last, a failing source failing the reader, a reader that
// stops cancelling the source. (The native stream itself runs in every end-to-end clone.)
import { describe, expect, it } from 'vitest';
import { throughNative } from './native-stream';

function source(chunks: number, fail = false) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === chunks) {
        if (fail) controller.error(new Error('source broke'));
        else controller.close();
        return;
      }
      controller.enqueue(new Uint8Array([state.pulled++]));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(...r.value);
  return out;
}

describe('throughNative', () => {
  it('passes every byte in order, then calls onEnd once', async () => {
    const { stream } = source(50);
    const ends: number[] = [];
    let read: number[] = [];
    const piped = throughNative(stream, () => {
      ends.push(read.length);
    });
    read = await readAll(piped);
    expect(read).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ends.length).toBe(1);
  });

  it('fails the reader when the source fails', async () => {
    const { stream } = source(3, true);
    await expect(readAll(throughNative(stream))).rejects.toThrow('source broke');
  });

  it('cancels the source when the reader stops', async () => {
    const { stream, state } = source(1_000);
    const reader = throughNative(stream).getReader();
    await reader.read();
    await reader.cancel('gone');
    // The pump learns of it at its next write.
    for (let i = 0; i < 100 && !state.cancelled; i++) await new Promise((r) => setImmediate(r));
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(1_000);
  });

  it('reads a generator directly: its bytes, its failure, and its finally when the reader stops', async () => {
    const state = { made: 0, finished: false };
    async function* chunks(count: number, fail = false) {
      try {
        for (; state.made < count; state.made++) yield new Uint8Array([state.made]);
        if (fail) throw new Error('generator broke');
      } finally {
        state.finished = true;
      }
    }
    expect(await readAll(throughNative(chunks(20)))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(state.finished).toBe(true);

    Object.assign(state, { made: 0, finished: false });
    await expect(readAll(throughNative(chunks(3, true)))).rejects.toThrow('generator broke');

    Object.assign(state, { made: 0, finished: false });
    const reader = throughNative(chunks(1_000)).getReader();
    await reader.read();
    await reader.cancel('gone');
    for (let i = 0; i < 100 && !state.finished; i++) await new Promise((r) => setImmediate(r));
    expect(state.finished).toBe(true);
    expect(state.made).toBeLessThan(1_000);
  });
});
