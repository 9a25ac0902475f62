/**
 * Messages for the client's stderr (side-band band 2) produced while a push is processed, so
 * that `git push` shows "remote: Resolving deltas: 42% ..." as it does against git itself.
 * Work pushes lines; the response generator drains them between its own writes.
 */

export interface ProgressSink {
  /** A whole line (without LF) for the client: errors, shown even to a `quiet` client. */
  line(text: string): void;
  /** A progress line (without LF), dropped for a `quiet` client. */
  info(text: string): void;
  /** A counter: emitted when its percentage changes, and finished with ", done." */
  counter(title: string, done: number, total: number): void;
}

/** An unbounded queue of messages with a promise for "something arrived or work ended". */
export class ProgressChannel implements ProgressSink {
  private readonly pending: string[] = [];
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly lastPercent = new Map<string, number>();

  constructor(
    private readonly enabled: boolean,
    private readonly quiet: boolean,
  ) {}

  line(text: string): void {
    this.push(`${text}\n`);
  }

  info(text: string): void {
    if (!this.quiet) this.push(`${text}\n`);
  }

  counter(title: string, done: number, total: number): void {
    const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
    if (this.quiet || this.lastPercent.get(title) === percent) return;
    this.lastPercent.set(title, percent);
    const end = done >= total ? ', done.\n' : '\r';
    this.push(`${title}: ${String(percent).padStart(3)}% (${done}/${total})${end}`);
  }

  private push(text: string): void {
    if (!this.enabled || this.closed) return;
    this.pending.push(text);
    this.wake?.();
  }

  /** Take every queued message, waiting until there is one or the channel is closed. */
  async take(): Promise<string[] | null> {
    while (this.pending.length === 0) {
      if (this.closed) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
    return this.pending.splice(0, this.pending.length);
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }
}
