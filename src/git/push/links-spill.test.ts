/**
 * A push whose id set spills (see spill/id-marks.ts): the same outcome as one kept in memory
 * (refs, connectivity, the cached pack's layer), checked on histories made by git, with the
 * spill store emptied once the push is done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitBytes, makeRepo, removeDir } from '../../../test/helpers/git';
import { concat, packRange, parseReport, pushBody } from '../../../test/helpers/packs';
import { MemoryRepository } from '../memory/repo';
import { type ReceivePackOptions, receivePack } from '../protocol/receive-pack';
import { MemorySpillStore } from '../spill/spill-store';

const REF = 'refs/heads/main';
let dir: string;
let tip: string;
let middle: string;

beforeAll(() => {
  dir = makeRepo(150);
  tip = git(dir, ['rev-parse', 'HEAD']).trim();
  middle = git(dir, ['rev-parse', 'HEAD~75']).trim();
});
afterAll(() => removeDir(dir));

async function push(repo: MemoryRepository, body: Uint8Array, options?: ReceivePackOptions) {
  const out: Uint8Array[] = [];
  const reader = receivePack(
    (async function* () {
      yield body;
    })(),
    repo,
    options,
  ).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
  return parseReport(concat(out));
}

/** git's pack of the whole history of `commit`. */
function history(commit: string): Uint8Array {
  return gitBytes(dir, ['pack-objects', '--revs', '--stdout', '-q'], `${commit}\n`);
}

/** A spill store that remembers the most runs it held at once. */
function spillStore(): { store: MemorySpillStore; most: () => number } {
  const store = new MemorySpillStore();
  let most = 0;
  const put = store.put.bind(store);
  store.put = (run, seq, chunk) => {
    put(run, seq, chunk);
    most = Math.max(most, store.size);
  };
  return { store, most: () => most };
}

describe('a push whose id set spills', () => {
  it('lands as one kept in memory does, and leaves nothing spilled', async () => {
    const objects = Number(git(dir, ['rev-list', '--objects', '--count', tip]).trim());
    const pack = history(tip);
    expect(objects).toBeGreaterThan(600);
    const body = pushBody([{ name: REF, newOid: tip }], pack);

    const plain = new MemoryRepository();
    expect((await push(plain, body)).status).toEqual(['unpack ok', `ok ${REF}`]);

    const { store, most } = spillStore();
    const spilled = new MemoryRepository();
    const report = await push(spilled, body, { spill: () => store, spillIds: 100 });
    expect(report.status).toEqual(['unpack ok', `ok ${REF}`]);
    // Several runs of at most 100 ids were written (and merged), and all were dropped after.
    expect(most()).toBeGreaterThan(3);
    expect(store.size).toBe(0);
    expect(await spilled.refs.list()).toEqual([{ name: REF, oid: tip, notTag: true }]);
    // The push became the cached pack's first layer, as without spilling: it is exactly the history.
    const layers = await spilled.cachedPack.get();
    expect(layers.map((l) => [l.tips, l.objectCount])).toEqual(
      (await plain.cachedPack.get()).map((l) => [l.tips, l.objectCount]),
    );
    expect(layers.at(-1)?.objectCount).toBe(objects);
  });

  it('still refuses a pack whose objects point to what is neither in it nor stored', async () => {
    // The newer half of the history alone: its oldest commit's parent is missing.
    const body = pushBody([{ name: REF, newOid: tip }], packRange(dir, tip, middle));
    const { store } = spillStore();
    const repo = new MemoryRepository();
    const report = await push(repo, body, { spill: () => store, spillIds: 100 });
    expect(report.status).toEqual(['unpack ok', `ng ${REF} missing necessary objects`]);
    expect(store.size).toBe(0);
    // Positive control: with the older half stored first, the same pack lands.
    const older = pushBody([{ name: REF, newOid: middle }], history(middle));
    expect((await push(repo, older, { spill: () => store, spillIds: 100 })).status).toEqual([
      'unpack ok',
      `ok ${REF}`,
    ]);
    const newer = pushBody([{ name: REF, oldOid: middle, newOid: tip }], packRange(dir, tip, middle));
    expect((await push(repo, newer, { spill: () => store, spillIds: 100 })).status).toEqual([
      'unpack ok',
      `ok ${REF}`,
    ]);
  });
});
