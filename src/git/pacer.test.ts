import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, git, gitBytes, makeRepo, removeDir } from '../../test/helpers/git';
import { MemoryPackStore } from './memory/pack-store';
import { ObjectDatabase } from './odb';
import { Pacer } from './pacer';
import { indexPack } from './pack/index-pack';
import { writePack } from './pack/write-pack';
import { mergeSortedRuns, mergeSortedRunsPaced } from './sorted-records';
import { IdMarks } from './spill/id-marks';
import { MemorySpillStore } from './spill/spill-store';
import { reachableObjects } from './walk/reachable';

let repo: string;
let pack: Uint8Array;
beforeAll(() => {
  repo = makeRepo(300);
  pack = gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q'], '');
});
afterAll(() => removeDir(repo));

/**
 * Runs `work` beside a timer set just before it; says whether the timer fired before the work
 * ended. In-memory reads resolve as microtasks, as the object's SQLite reads do: without pauses
 * the timer (another request's input, in the object) waits for the end.
 */
async function timerRunsDuring(work: () => Promise<unknown>): Promise<boolean> {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
  }, 0);
  // A timer set now fires on the next turn of the event loop at the soonest; the work starts now.
  let firedBeforeEnd = false;
  await work().then(() => {
    firedBeforeEnd = fired;
  });
  clearTimeout(timer);
  return firedBeforeEnd;
}

describe('Pacer', () => {
  it('pauses once every so many units of work', async () => {
    const pacer = new Pacer(3);
    const pauses = Array.from({ length: 9 }, () => pacer.tick() !== undefined);
    expect(pauses).toEqual([false, false, true, false, false, true, false, false, true]);
    await pacer.tick();
    // A unit more for each 16 KiB an object moved: a big blob is work of many small ones.
    const byBytes = new Pacer(4);
    expect(byBytes.tick(16 * 1024 - 1)).toBeUndefined();
    expect(byBytes.tick(2 * 16 * 1024)).toBeDefined();
    expect(byBytes.tick(3 * 16 * 1024)).toBeDefined();
  });

  it('lets other work run while a pack is indexed', async () => {
    const store = new MemoryPackStore();
    const writer = store.newPack();
    expect(await timerRunsDuring(() => indexPack(chunked(pack, 65_536), writer, store))).toBe(true);
  });

  it('lets other work run while a history is walked', async () => {
    const odb = await indexed();
    let count = 0;
    const walk = async () => {
      const r = await reachableObjects([git(repo, ['rev-parse', 'main']).trim()], [], odb);
      count = r.commits.length + r.objects.length;
    };
    expect(await timerRunsDuring(walk)).toBe(true);
    expect(count).toBeGreaterThan(600);
  });

  it('lets other work run while the entries of a pack to write are looked up', async () => {
    const odb = await indexed();
    const oids = git(repo, ['rev-list', '--objects', '--all'])
      .trim()
      .split('\n')
      .map((l) => l.slice(0, 40));
    // The first chunk comes once every entry is looked up.
    const first = () => writePack(oids, odb, { ofsDelta: true }).getReader().read();
    expect(await timerRunsDuring(first)).toBe(true);
  });
});

describe('pauses in what follows a big push', () => {
  it('lets other work run while sorted runs are merged, merging as at once', async () => {
    // Four runs of 20,000 sorted 21-byte records in chunks of 1,024, as a spilled id set keeps them.
    const runs = Array.from({ length: 4 }, () => sortedRecords(20_000));
    const sources = () =>
      runs.map((run) => {
        let at = 0;
        return () => {
          if (at >= run.length) return null;
          at += 1024 * 21;
          return run.subarray(at - 1024 * 21, at);
        };
      });
    const whole: string[] = [];
    mergeSortedRuns(sources(), 21, (c, a) => whole.push(Buffer.from(c.subarray(a, a + 21)).toString('hex')));
    const paced: string[] = [];
    const merge = () =>
      mergeSortedRunsPaced(sources(), 21, (c, a) =>
        paced.push(Buffer.from(c.subarray(a, a + 21)).toString('hex')),
      );
    expect(await timerRunsDuring(merge)).toBe(true);
    expect(paced.length).toBe(80_000);
    expect(paced).toEqual(whole);
    expect([...whole].sort()).toEqual(whole);
  });

  it("lets other work run while a push's spilled id set is merged and scanned", async () => {
    const spilled = new IdMarks(new MemorySpillStore(), 10_000);
    const reference = new IdMarks();
    const records = sortedRecords(60_000);
    for (let at = 0; at < records.length; at += 21) {
      // Ids in sorted order, marked 1, 2 or both: the scan below finds a third of them.
      const mark = 1 + ((at / 21) % 3);
      spilled.addBytes(records, at, mark);
      reference.addBytes(records, at, mark);
    }
    expect(spilled.spilled).toBe(true);
    expect(await timerRunsDuring(() => spilled.seal())).toBe(true);
    const found: string[] = [];
    const scan = async () => {
      for await (const oid of spilled.markedPaced(1, 2)) found.push(oid);
    };
    expect(await timerRunsDuring(scan)).toBe(true);
    expect(found.length).toBe(20_000);
    expect(found).toEqual([...reference.marked(1, 2)].sort());
    expect(spilled.count(2)).toBe(40_000);
  });
});

/** `n` random 21-byte records (an id and a zero byte) sorted by id. */
function sortedRecords(n: number): Uint8Array {
  const ids = Array.from({ length: n }, () => Buffer.from(randomBytes(20)).toString('hex')).sort();
  const out = new Uint8Array(n * 21);
  for (const [i, id] of ids.entries()) out.set(Buffer.from(id, 'hex'), i * 21);
  return out;
}

async function indexed(): Promise<ObjectDatabase> {
  const store = new MemoryPackStore();
  const writer = store.newPack();
  await indexPack(chunked(pack, 65_536), writer, store);
  store.publish(writer.packId);
  return new ObjectDatabase(store);
}
