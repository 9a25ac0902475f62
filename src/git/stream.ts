/** Between the engine's async iterables of bytes and the platform's ReadableStream. */

/** A pull-based ReadableStream of `source`: one chunk at a time (backpressure); cancel stops the source. */
export function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export async function* fromReadableStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopping early (a refused push) cancels the source, so whoever feeds it learns that the
    // rest will not be read instead of waiting on backpressure forever.
    if (finished) reader.releaseLock();
    else await reader.cancel();
  }
}

/** Passes bytes through until more than `max` have come, then fails the stream. */
export function capBytes<T extends Uint8Array>(max: number, tooLarge: string): TransformStream<T, T> {
  let seen = 0;
  return new TransformStream<T, T>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > max) controller.error(new Error(tooLarge));
      else controller.enqueue(chunk);
    },
  });
}
