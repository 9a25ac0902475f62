/**
 * Operations whose response is still streaming, counted so that background work waits for them:
 * a big push and a compaction or repair of the cached pack at once may not fit in 128 MB (each
 * alone peaks near 90-105 MiB on the large benchmark repository).
 */
export class InFlight {
  private count = 0;

  get busy(): boolean {
    return this.count > 0;
  }

  /** `stream`, counted as in flight until it ends, fails or is cancelled. */
  track(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    this.count++;
    return untilEnd(stream, () => {
      this.count--;
    });
  }
}

/** `stream` passed through, calling `end` once when it ends, fails or is cancelled. */
export function untilEnd(stream: ReadableStream<Uint8Array>, end: () => void): ReadableStream<Uint8Array> {
  let ended = false;
  const once = (): void => {
    if (ended) return;
    ended = true;
    end();
  };
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          once();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (e) {
        once();
        controller.error(e);
      }
    },
    async cancel(reason) {
      once();
      await reader.cancel(reason);
    },
  });
}
