import { afterEach, describe, expect, it, vi } from 'vitest';
import { isGitError } from '../git/errors';
import { Admission, type AdmittedWork, BUDGET_MIB, MAX_WAIT_MS, WORK_MIB, walkShareMib } from './admission';

/** Whether a promise has settled, without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  // Two turns of the microtask queue: long enough for an already-settled promise's handlers.
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Admission', () => {
  it('serialises two pushes: the second waits, is told so, and starts when the first ends', async () => {
    const a = new Admission();
    const first = await a.enter('push');
    let told = 0;
    const second = a.enter('push', () => told++);
    expect(told).toBe(1);
    expect(await settled(second)).toBe(false);
    expect(a.state()).toMatchObject({ waiting: 1, waited: 1, running: { push: 1 } });
    first();
    const release = await second;
    expect(a.state()).toMatchObject({ waiting: 0, reservedMib: WORK_MIB.push, running: { push: 1 } });
    release();
    expect(a.state().reservedMib).toBe(0);
  });

  it('lets stored-pack clones run beside a push, and a walk beside clones, within the budget', () => {
    const a = new Admission();
    expect(a.tryEnter('push')).not.toBeNull();
    expect(a.tryEnter('clone')).not.toBeNull();
    expect(a.tryEnter('clone')).not.toBeNull();
    // A third clone would pass the budget.
    expect(WORK_MIB.push + 3 * WORK_MIB.clone).toBeGreaterThan(BUDGET_MIB);
    expect(a.tryEnter('clone')).toBeNull();
    expect(a.tryEnter('walk')).toBeNull();

    const b = new Admission();
    expect(b.tryEnter('walk')).not.toBeNull();
    expect(b.tryEnter('walk')).toBeNull();
    expect(b.tryEnter('push')).toBeNull();
    expect(b.tryEnter('clone')).not.toBeNull();
  });

  it('serves first come first: a clone arriving behind a waiting push waits too', async () => {
    const a = new Admission();
    const walk = await a.enter('walk');
    const push = a.enter('push');
    // The clone alone would fit beside the walk, but the push came first.
    const clone = a.enter('clone');
    expect(await settled(clone)).toBe(false);
    walk();
    const releasePush = await push;
    // Now the clone fits beside the push.
    const releaseClone = await clone;
    expect(a.state().running).toEqual({ push: 1, clone: 1 });
    releasePush();
    releaseClone();
    expect(a.state()).toMatchObject({ reservedMib: 0, running: {}, waiting: 0 });
  });

  it('never admits maintenance beside a push; tryEnter does not queue', () => {
    const a = new Admission();
    const push = a.tryEnter('push');
    expect(a.tryEnter('maintain')).toBeNull();
    expect(a.state().waiting).toBe(0);
    push?.();
    const m = a.tryEnter('maintain');
    expect(m).not.toBeNull();
    expect(a.tryEnter('push')).toBeNull();
    m?.();
  });

  it('a release given twice counts once', () => {
    const a = new Admission();
    const r = a.tryEnter('clone');
    r?.();
    r?.();
    expect(a.state().reservedMib).toBe(0);
    expect(a.tryEnter('push')).not.toBeNull();
    expect(a.tryEnter('clone')).not.toBeNull();
  });

  it('refuses work that waited too long with a BUSY git error, and admits those behind it', async () => {
    vi.useFakeTimers();
    const a = new Admission(BUDGET_MIB, 1000);
    const push = await a.enter('push');
    const late = a.enter('push');
    const outcome = late.then(
      () => 'admitted',
      (e: unknown) => (isGitError(e) ? e.code : 'other'),
    );
    vi.advanceTimersByTime(1000);
    expect(await outcome).toBe('BUSY');
    expect(a.state().waiting).toBe(0);
    push();
    expect(a.tryEnter('push')).not.toBeNull();
  });

  it("a caller's own wait replaces the object's: 0 refuses work that would have to wait, and only that", async () => {
    vi.useFakeTimers();
    const a = new Admission();
    // Positive control: work that fits is admitted at once, whatever its wait.
    const push = await a.enter('push', undefined, 0);
    const outcome = (p: Promise<() => void>) =>
      p.then(
        () => 'admitted',
        (e: unknown) => (isGitError(e) ? e.code : 'other'),
      );
    const refused = outcome(a.enter('walk', undefined, 0));
    // The object's own wait (10 minutes) still holds for a caller that names none.
    const patient = outcome(a.enter('walk'));
    vi.advanceTimersByTime(0);
    expect(await refused).toBe('BUSY');
    expect(a.state()).toMatchObject({ waiting: 1, running: { push: 1 } });
    push();
    expect(await patient).toBe('admitted');
  });

  it('an archive waits for a push, blame and diffs run beside one, and a fork copy beside anything but maintenance', async () => {
    const a = new Admission();
    const push = await a.enter('push');
    // Positive control: reads sized to fit beside a push start at once.
    const blame = a.tryEnter('blame');
    expect(blame).not.toBeNull();
    blame?.();
    expect(a.tryEnter('diff')).not.toBeNull();
    const archive = a.enter('archive');
    expect(await settled(archive)).toBe(false);
    expect(a.state()).toMatchObject({ waiting: 1, running: { push: 1, diff: 1 } });
    push();
    // The diff still runs (80 was freed, 32 held): the archive fits beside it.
    const releaseArchive = await archive;
    expect(a.state()).toMatchObject({
      reservedMib: WORK_MIB.archive + WORK_MIB.diff,
      running: { archive: 1 },
    });
    // An archive fits beside a walk, never beside maintenance.
    expect(a.tryEnter('maintain')).toBeNull();
    const fork = a.tryEnter('fork');
    expect(fork).not.toBeNull();
    fork?.();
    releaseArchive();
  });

  it("sizes a walk's share by the repository's objects, and keeps the share it asked with", async () => {
    // The flat share up to ~520,000 objects (the large history's 411,169 among them).
    expect(walkShareMib(0)).toBe(WORK_MIB.walk);
    expect(walkShareMib(411_169)).toBe(WORK_MIB.walk);
    // The million-object history: 32 MiB and 64 bytes an object.
    expect(walkShareMib(989_274)).toBe(93);
    // Past the whole budget: it still runs, alone.
    expect(walkShareMib(2_000_000)).toBeGreaterThan(BUDGET_MIB);

    const repo = { objects: 100_000 };
    const scaled = (w: AdmittedWork) => (w === 'walk' ? walkShareMib(repo.objects) : WORK_MIB[w]);
    const a = new Admission(BUDGET_MIB, MAX_WAIT_MS, scaled);
    // A small history's walk runs beside three stored-pack clones...
    const small = [a.tryEnter('walk'), a.tryEnter('clone'), a.tryEnter('clone'), a.tryEnter('clone')];
    expect(small.every((r) => r !== null)).toBe(true);
    for (const release of small) release?.();
    // ...a million-object one beside one.
    repo.objects = 989_274;
    const walk = a.tryEnter('walk');
    expect(a.state().reservedMib).toBe(93);
    expect(a.tryEnter('clone')).not.toBeNull();
    expect(a.tryEnter('clone')).toBeNull();
    expect(a.tryEnter('walk')).toBeNull();
    walk?.();

    // A walk that waited is admitted, and released, with the share it asked with.
    const b = new Admission(BUDGET_MIB, MAX_WAIT_MS, scaled);
    repo.objects = 100_000;
    const push = await b.enter('push');
    const waiting = b.enter('walk');
    expect(await settled(waiting)).toBe(false);
    repo.objects = 989_274;
    push();
    const release = await waiting;
    expect(b.state()).toMatchObject({ reservedMib: WORK_MIB.walk, running: { walk: 1 } });
    release();
    expect(b.state().reservedMib).toBe(0);
  });
});
