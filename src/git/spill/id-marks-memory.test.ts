/**
 * The memory an id set holds once it spills: flat in the number of ids (the table in front, a
 * chunk per run while merging, the merged run's directory), where an `OidSet` alone doubles with
 * them. Runs go to a file, as a Node spill store would keep them, so only the set is measured.
 */
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../../test/helpers/git';
import { settledBytes } from '../../../test/helpers/memory';
import { OidSet } from '../oid-set';
import { IdMarks } from './id-marks';
import type { SpillStore } from './spill-store';

const dir = makeTempDir();
afterAll(() => removeDir(dir));

/** Runs appended to one file; what is kept in memory is where each chunk is (16 bytes a chunk). */
class FileSpillStore implements SpillStore {
  private readonly fd = openSync(join(dir, `runs-${Math.random()}`), 'w+');
  private end = 0;
  private readonly where = new Map<number, number[]>();

  put(run: number, seq: number, chunk: Uint8Array): void {
    const chunks = this.where.get(run) ?? [];
    this.where.set(run, chunks);
    if (seq !== chunks.length / 2) throw new Error('out of order');
    writeSync(this.fd, chunk, 0, chunk.length, this.end);
    chunks.push(this.end, chunk.length);
    this.end += chunk.length;
  }

  get(run: number, seq: number): Uint8Array | null {
    const chunks = this.where.get(run);
    if (chunks === undefined || seq * 2 >= chunks.length) return null;
    const out = new Uint8Array(chunks[seq * 2 + 1]);
    readSync(this.fd, out, 0, out.length, chunks[seq * 2]);
    return out;
  }

  drop(run: number): void {
    this.where.delete(run);
  }

  clear(): void {
    this.where.clear();
    closeSync(this.fd);
  }
}

interface IdSetLike {
  addBytes(bytes: Uint8Array, at: number, mark: number): number;
  has(oid: string, mark?: number): boolean;
}

/**
 * Add `n` random ids (each twice, with two marks, as a push's objects and links), then query:
 * the most memory retained at any full GC along the way, in bytes.
 */
async function retainedBy(make: () => IdSetLike, n: number): Promise<number> {
  const before = await settledBytes();
  const set = make();
  const ids = new Uint8Array(20 * 4096);
  let most = 0;
  for (let done = 0; done < n; done += 4096) {
    randomFillSync(ids);
    for (let i = 0; i < 4096; i++) set.addBytes(ids, i * 20, 1);
    for (let i = 0; i < 4096; i++) set.addBytes(ids, i * 20, 2);
    if ((done / 4096) % 32 === 31) most = Math.max(most, (await settledBytes()) - before);
  }
  expect(set.has('0'.repeat(40))).toBe(false);
  most = Math.max(most, (await settledBytes()) - before);
  // Still reachable here, so the measurements above counted it.
  expect(set).toBeDefined();
  return most;
}

describe('IdMarks memory', () => {
  it('holds about the same at 200,000 and 600,000 ids once it spills, where an OidSet alone grows with them', async () => {
    const limit = 1 << 16;
    const small = await retainedBy(() => new IdMarks(new FileSpillStore(), limit), 200_000);
    const large = await retainedBy(() => new IdMarks(new FileSpillStore(), limit), 600_000);
    const whole = await retainedBy(() => new OidSet(), 600_000);
    const mib = (b: number) => (b / 1048576).toFixed(1);
    console.log(
      `id set retained: spilling ${mib(small)} MiB at 200,000 ids, ${mib(large)} MiB at 600,000; in memory ${mib(whole)} MiB at 600,000`,
    );
    // The table in front is 2^17 slots of 21 bytes (2.6 MiB); the rest is on file.
    expect(large).toBeLessThan(6 * 1048576);
    expect(large).toBeLessThan(small + 2 * 1048576);
    expect(whole).toBeGreaterThan(4 * large);
  });

  it('by default keeps at most a 5.5 MiB table in memory, whatever the push', async () => {
    const held = await retainedBy(() => new IdMarks(new FileSpillStore()), 300_000);
    console.log(`id set retained with the default limit: ${(held / 1048576).toFixed(1)} MiB at 300,000 ids`);
    // 2^18 slots of 21 bytes; the default of 2^18 ids kept a table of 2^19 slots (11 MiB).
    expect(held).toBeLessThan(8 * 1048576);
  });
});
