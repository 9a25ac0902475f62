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
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.count--;
    };
    const reader = stream.getReader();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            end();
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (e) {
          end();
          controller.error(e);
        }
      },
      async cancel(reason) {
        end();
        await reader.cancel(reason);
      },
    });
  }
}
