import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, git, gitBytes, makeRepo, removeDir } from '../../test/helpers/git';
import { MemoryPackStore } from './memory/pack-store';
import { ObjectDatabase } from './odb';
import { Pacer } from './pacer';
import { indexPack } from './pack/index-pack';
import { writePack } from './pack/write-pack';
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

async function indexed(): Promise<ObjectDatabase> {
  const store = new MemoryPackStore();
  const writer = store.newPack();
  await indexPack(chunked(pack, 65_536), writer, store);
  store.publish(writer.packId);
  return new ObjectDatabase(store);
}
