import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, gitBytes, makeRepo, removeDir } from '../../../test/helpers/git';
import { MemoryPackStore } from '../memory/pack-store';
import { ObjectDatabase } from '../odb';
import { indexPack } from './index-pack';
import { writePack } from './write-pack';

// Throughput measurements; slow-ish, so only run when asked: GITFLARE_BENCH=1 npx vitest run <this file>
describe.skipIf(!process.env.GITFLARE_BENCH)('indexPack throughput', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo(3000, 16);
  });
  afterAll(() => removeDir(repo));

  const measure = async (label: string, args: string[]) => {
    const pack = gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q', ...args], '');
    const store = new MemoryPackStore();
    const w = store.newPack();
    const t0 = performance.now();
    const r = await indexPack(chunked(pack, 65_536), w, store);
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${label}: ${(pack.length / 1048576).toFixed(1)} MB, ${r.objectCount} objects, ${s.toFixed(2)} s, ${(pack.length / 1048576 / s).toFixed(1)} MB/s`,
    );
    store.publish(w.packId);
    const t1 = performance.now();
    let out = 0;
    const reader = writePack([...r.oids], new ObjectDatabase(store), { ofsDelta: true }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out += value.length;
    }
    const s2 = (performance.now() - t1) / 1000;
    console.log(
      `${label} writePack (reuse): ${(out / 1048576).toFixed(1)} MB in ${s2.toFixed(2)} s, ${(out / 1048576 / s2).toFixed(1)} MB/s`,
    );
    expect(r.objectCount).toBeGreaterThan(3000);
  };

  it('mixed pack (3000 commits with deltas + 16 MiB random blob)', () => measure('mixed', []));
  it('no-delta pack', () => measure('whole objects', ['--no-reuse-delta', '--window=0']));
  it('deep-delta pack', () => measure('deep deltas', ['--no-reuse-delta', '--depth=50']));
});
