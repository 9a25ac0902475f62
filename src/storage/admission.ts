/**
 * Admission control for a repository object's memory-heavy work. An object has 128 MB, and a big
 * push, a clone that walks the history (more for a bigger history), one served from the cached
 * pack and maintenance each take a measured part of it. Each heavy operation reserves its share
 * of a budget before it starts and waits, first come first served, when the share is not free;
 * light requests (refs, pages, small reads) never reserve and so never wait behind heavy ones.
 * Two pushes never run side by side: the second waits for the first.
 */
import { GitError } from '../git/errors';
import type { HeavyWork } from '../git/protocol/repository';

export type { HeavyWork };
/**
 * Beside the protocol's work: maintenance (the alarm), a tar/zip archive of a tree, blame, the
 * diffs of a commit or comparison, and a fork copying its parent's packs in.
 */
export type AdmittedWork = HeavyWork | 'maintain' | 'archive' | 'blame' | 'diff' | 'fork';

/** What the whole object may have reserved at once, in MiB: the isolate's 128 MB less its base. */
export const BUDGET_MIB = 112;

/**
 * Shares in MiB, from the peaks the benchmark measured (rounded so that what should run together
 * does: a push beside two stored-pack clones, a walk beside three; never two pushes, two walks,
 * a push beside a walk, or maintenance beside either). The reads below are sized from the bounded
 * caches they use rather than measured: each reads through the object database's 32 MiB cache;
 * an archive also holds one blob whole and its compressor (48: waits for a push, runs beside a
 * walk); blame keeps two versions of a file of at most 1 MiB as lines, diffs up to 10,000 lines
 * of files of at most 512 KiB (32 each: beside a push, not beside a push and a clone); a fork's
 * copy holds a batch or two of 64 chunk rows of 64 KiB (16). The parent answering those batches
 * reserves nothing (one batch at a time, read from SQLite).
 */
export const WORK_MIB: Readonly<Record<AdmittedWork, number>> = {
  push: 80,
  walk: 64,
  clone: 16,
  maintain: 96,
  archive: 48,
  blame: 32,
  diff: 32,
  fork: 16,
};

const WALK_BASE_MIB = 32;
const WALK_BYTES_PER_OBJECT = 64;

/**
 * A walk's share in a repository of `objects` objects. What a walk keeps per object (the seen set,
 * then the pack writer's table) comes on top of its bounded caches, so a big history's walk
 * outgrows the flat share. Measured inside workerd with the heap capped: a single-branch clone
 * walking all 411,169 objects of the large history peaked at 55-57 MiB live, a blobless clone
 * walking 658,513 of the 989,274 objects of the million-object history at 71 MiB (and near the
 * cap, 118 MiB, before collections; 64 MiB once the walk passed blobs over). 32 MiB and 64 bytes
 * an object of the repository cover both (58 and 93 MiB) and the ~85 MiB extrapolated for a walk
 * of all a million objects (not measured), and leave the flat 64 MiB for histories under
 * ~520,000 objects.
 */
export function walkShareMib(objects: number): number {
  return Math.max(WORK_MIB.walk, Math.ceil(WALK_BASE_MIB + (objects * WALK_BYTES_PER_OBJECT) / 1048576));
}

/** The share of a kind of work now (a walk's grows with the repository). */
export type ShareOf = (work: AdmittedWork) => number;

const flatShare: ShareOf = (work) => WORK_MIB[work];

/** How long work waits for room before it is refused (a stalled push must not block forever). */
export const MAX_WAIT_MS = 10 * 60 * 1000;

declare global {
  interface Env {
    /** How long heavy work may wait for room, in ms (default MAX_WAIT_MS; tests shorten it). */
    readonly ADMISSION_MAX_WAIT_MS?: string;
  }
}

/** The configured wait (a Worker var is a string), or MAX_WAIT_MS when unset or invalid. */
export function maxWaitMs(value: string | undefined): number {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : MAX_WAIT_MS;
}

export class BusyError extends GitError {
  constructor(work: AdmittedWork) {
    super('BUSY', `the repository is busy (waited too long to start: ${work}); try again later`);
    this.name = 'BusyError';
  }
}

interface Waiter {
  readonly work: AdmittedWork;
  /** Its share in MiB, fixed when it asked. */
  readonly share: number;
  readonly grant: (release: () => void) => void;
  readonly fail: (e: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export interface AdmissionState {
  /** MiB reserved now. */
  readonly reservedMib: number;
  /** Operations admitted and not yet finished, by kind. */
  readonly running: Partial<Record<AdmittedWork, number>>;
  /** Operations waiting now. */
  readonly waiting: number;
  /** Operations that had to wait, since this instance started. */
  readonly waited: number;
}

export class Admission {
  private reserved = 0;
  private readonly running = new Map<AdmittedWork, number>();
  private readonly queue: Waiter[] = [];
  private waitedCount = 0;

  constructor(
    private readonly budget = BUDGET_MIB,
    private readonly maxWaitMs = MAX_WAIT_MS,
    private readonly shareOf: ShareOf = flatShare,
  ) {}

  /**
   * Room for `work`: at once when its share is free and nobody waits before it, else after those
   * ahead of it (calling `waiting` once when it has to wait), refused as BUSY after `maxWaitMs`
   * (the object's wait unless the caller names its own: a test server's request may). The result
   * releases the share; it may be called more than once.
   */
  enter(work: AdmittedWork, waiting?: () => void, maxWaitMs = this.maxWaitMs): Promise<() => void> {
    const share = this.shareOf(work);
    if (this.queue.length === 0 && this.fits(share)) return Promise.resolve(this.take(work, share));
    this.waitedCount++;
    waiting?.();
    return new Promise((grant, fail) => {
      const waiter: Waiter = { work, share, grant, fail };
      waiter.timer = setTimeout(() => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        fail(new BusyError(work));
        // Someone behind it may fit now.
        this.admitWaiting();
      }, maxWaitMs);
      this.queue.push(waiter);
    });
  }

  /** Room for `work` now, or null (background work that would rather run later than wait). */
  tryEnter(work: AdmittedWork): (() => void) | null {
    const share = this.shareOf(work);
    if (this.queue.length > 0 || !this.fits(share)) return null;
    return this.take(work, share);
  }

  state(): AdmissionState {
    return {
      reservedMib: this.reserved,
      running: Object.fromEntries(this.running),
      waiting: this.queue.length,
      waited: this.waitedCount,
    };
  }

  private fits(share: number): boolean {
    // Work larger than the whole budget still runs alone rather than never.
    return this.reserved === 0 || this.reserved + share <= this.budget;
  }

  private take(work: AdmittedWork, share: number): () => void {
    this.reserved += share;
    this.running.set(work, (this.running.get(work) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved -= share;
      const n = (this.running.get(work) ?? 1) - 1;
      if (n === 0) this.running.delete(work);
      else this.running.set(work, n);
      this.admitWaiting();
    };
  }

  /** First come, first served: the head of the queue goes first, and blocks those behind it. */
  private admitWaiting(): void {
    while (this.queue.length > 0 && this.fits(this.queue[0].share)) {
      const next = this.queue.shift() as Waiter;
      clearTimeout(next.timer);
      next.grant(this.take(next.work, next.share));
    }
  }
}
