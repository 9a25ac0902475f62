import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, git, gitBytes, gitStream, makeTempDir, removeDir } from '../../../test/helpers/git';
import { MemoryPackStore } from '../memory/pack-store';
import type { PackEntry, PackWriter } from '../store';
import { indexPack } from './index-pack';

const BLOB_MB = 64;
let dir: string;
let blobOid: string;

beforeAll(() => {
  dir = makeTempDir();
  git(dir, ['init', '-q']);
  const file = join(dir, 'big.bin');
  writeFileSync(file, randomBytes(BLOB_MB * 1024 * 1024));
  // Level 0 zlib keeps the fixture cheap to build; the indexer's work is the same.
  blobOid = git(dir, ['-c', 'core.compression=0', 'hash-object', '-w', file]).trim();
  removeDir(file);
});
afterAll(() => removeDir(dir));

/** Re-chunk a stream into small pieces (the transport may deliver anything). */
async function* rechunk(input: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of input)
    for (let i = 0; i < chunk.length; i += size) yield chunk.subarray(i, i + size);
}

/** A gc() even without --expose-gc, so retained memory can be measured instead of GC lag. */
function getGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function memNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('indexPack memory', () => {
  it(`streams a pack with a ${BLOB_MB} MiB random blob with bounded memory`, async () => {
    const gc = getGc();
    gc();
    const before = memNow();
    let peak = before;
    let retained = 0;
    let appended = 0;
    const entries: PackEntry[] = [];
    // A writer that keeps nothing, so only the indexer's own memory is measured.
    const writer: PackWriter = {
      packId: 1,
      async append(chunk) {
        appended += chunk.length;
        if ((appended & 0xfffff) < chunk.length) peak = Math.max(peak, memNow());
        if ((appended & 0xffffff) < chunk.length) {
          // Every 16 MiB: what survives a full GC is what the indexer really holds. Array buffer
          // backing stores are freed by a concurrent sweeper, so let it run before measuring.
          gc();
          await new Promise((r) => setTimeout(r, 20));
          gc();
          retained = Math.max(retained, memNow() - before);
        }
      },
      async read() {
        throw new Error('no deltas expected');
      },
      async addEntries(e) {
        entries.push(...e);
      },
      async lookupPending() {
        return null;
      },
      async abort() {
        // nothing was stored
      },
    };
    const t0 = performance.now();
    const result = await indexPack(
      rechunk(
        gitStream(dir, ['-c', 'pack.compression=0', 'pack-objects', '--stdout', '-q'], `${blobOid}\n`),
        8192,
      ),
      writer,
      new MemoryPackStore(),
    );
    const ms = performance.now() - t0;
    const growth = peak - before;
    console.log(
      `64 MiB blob: ${(appended / 1048576).toFixed(1)} MB in ${ms.toFixed(0)} ms (${(appended / 1048576 / (ms / 1000)).toFixed(1)} MB/s), peak growth ${(growth / 1048576).toFixed(1)} MiB (with GC lag), retained ${(retained / 1048576).toFixed(1)} MiB`,
    );
    expect([...result.oids]).toEqual([blobOid]);
    expect(entries[0].size).toBe(BLOB_MB * 1024 * 1024);
    expect(retained).toBeLessThan(8 * 1024 * 1024);
    // Even counting garbage not yet collected (GC lag varies with load), the blob never sits in memory.
    expect(growth).toBeLessThan(BLOB_MB * 1024 * 1024);
  });
});

describe('indexPack memory with thin bases', () => {
  const MB = 1024 * 1024;
  let repo: string;

  beforeAll(() => {
    repo = makeTempDir();
    git(repo, ['init', '-q', '-b', 'main']);
    // The stored history: one 4 MiB file a later commit changes (its pushed version is a thin
    // delta against the stored one).
    const stored = randomBytes(4 * MB);
    writeFileSync(join(repo, 'stored.bin'), stored);
    git(repo, ['add', '.']);
    git(repo, ['commit', '-q', '-m', 'stored']);
    git(repo, ['tag', 'stored']);
    // The pushed history: six versions of another 4 MiB file, deltas of each other in the pack,
    // each cached whole (past the reused buffer's size) while resolving.
    const pushed = randomBytes(4 * MB);
    for (let v = 1; v <= 6; v++) {
      pushed[v * 1000] ^= 0xff;
      writeFileSync(join(repo, 'pushed.bin'), pushed);
      if (v === 6) writeFileSync(join(repo, 'stored.bin'), Buffer.concat([stored, Buffer.from('more')]));
      git(repo, ['add', '.']);
      git(repo, ['commit', '-q', '-m', `v${v}`]);
    }
  });
  afterAll(() => removeDir(repo));

  it("lets go of the pack's cached bases before reading thin bases from the store", async () => {
    const gc = getGc();
    const pack = (revs: string, thin: boolean) =>
      gitBytes(
        repo,
        ['-c', 'pack.compression=0', 'pack-objects', '--revs', ...(thin ? ['--thin'] : []), '--stdout', '-q'],
        revs,
      );
    const store = new MemoryPackStore();
    const b = store.newPack();
    await indexPack(chunked(pack('stored\n', false), 65536), b, store);
    store.publish(b.packId);
    const thin = pack('main\n^stored\n', true);
    // What is live when the stored base is read, above what was live before indexing.
    let atBaseRead = -1;
    const readPack = store.readPack.bind(store);
    store.readPack = async (packId, offset, length) => {
      if (packId === b.packId && atBaseRead < 0) {
        gc();
        await new Promise((r) => setTimeout(r, 20));
        gc();
        atBaseRead = memNow() - before;
      }
      return readPack(packId, offset, length);
    };
    const w = store.newPack();
    // Array buffers are freed by a concurrent sweeper (the test before freed 64 MiB): let it run.
    gc();
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const before = memNow();
    const result = await indexPack(chunked(thin, 65536), w, store, { cacheBytes: 32 * MB });
    const want = git(repo, ['rev-list', '--objects', 'main', '^stored'])
      .trim()
      .split('\n')
      .map((l) => l.slice(0, 40));
    expect(new Set(result.oids)).toEqual(new Set(want));
    expect(result.externalBases.length).toBe(1);
    console.log(`thin base read with ${(atBaseRead / MB).toFixed(1)} MiB live above the start`);
    // The pending pack (~4 MiB, the memory store's) and small tables: 9.4 MiB measured. The 4 MiB
    // versions cached while the pack's own deltas resolved are gone (21 MiB when they stayed).
    expect(atBaseRead).toBeGreaterThan(0);
    expect(atBaseRead).toBeLessThan(15 * MB);
  });
});

describe('indexPack memory while resolving', () => {
  const MB = 1024 * 1024;
  const FILES = 24;
  let repo: string;

  beforeAll(() => {
    repo = makeTempDir();
    git(repo, ['init', '-q', '-b', 'main']);
    // Files past the reused buffer's size (1 MiB), three versions each: every version resolved
    // from a delta is cached whole, and each chain's base is read from the pack.
    const lines = (f: number, v: number) => {
      const out: string[] = [];
      for (let i = 0; i < 48_000; i++)
        out.push(`file ${f} line ${i} ${i % 97 === v ? `edited in v${v}` : ''}`);
      return out.join('\n');
    };
    for (let v = 1; v <= 3; v++) {
      for (let f = 0; f < FILES; f++) writeFileSync(join(repo, `f${f}.txt`), lines(f, v));
      git(repo, ['add', '.']);
      git(repo, ['commit', '-q', '-m', `v${v}`]);
    }
  });
  afterAll(() => removeDir(repo));

  it('holds a resolved base only until the deltas on it are resolved', async () => {
    const gc = getGc();
    const pack = gitBytes(repo, ['pack-objects', '--revs', '--stdout', '-q'], 'main\n');
    const store = new MemoryPackStore();
    const w = store.newPack();
    const read = w.read.bind(w);
    let first = -1;
    let most = 0;
    let reads = 0;
    // Each chain's base is read back from the pack: what is live then, above the first read.
    w.read = async (offset, length) => {
      reads++;
      gc();
      await new Promise((r) => setTimeout(r, 10));
      gc();
      const now = memNow();
      if (first < 0) first = now;
      most = Math.max(most, now - first);
      return read(offset, length);
    };
    const result = await indexPack(chunked(pack, 65536), w, store, { cacheBytes: 32 * MB });
    const want = git(repo, ['rev-list', '--objects', 'main']).trim().split('\n');
    expect(result.objectCount).toBe(want.length);
    console.log(`${reads} bases read; live above the first read at most ${(most / MB).toFixed(1)} MiB`);
    // Each version is ~1.3 MiB, 48 of them resolved from deltas. Caching each until the budget
    // (32 MiB) evicted it held 22 MiB above the first read by the last chain (2.8 after); letting go of a base once the deltas on
    // it are resolved keeps about one chain's worth.
    expect(reads).toBeGreaterThanOrEqual(FILES);
    expect(most).toBeLessThan(8 * MB);
  });
});
