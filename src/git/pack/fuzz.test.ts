/**
 * Fuzz of the pack indexer (and of receive-pack around it): random bytes and mutated real packs
 * (with deltas) must end in success or a typed GitError: no other exception, no hang, and memory
 * that stays bounded. Seeded, so any failure reproduces from the seed in its message.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBytes, makeRepo, removeDir } from '../../../test/helpers/git';
import { buildPack, obj, refDeltaEntry, wholeEntry } from '../../../test/helpers/packs';
import { mutate, noHang, rng } from '../../../test/helpers/prng';
import { concatBytes } from '../bytes';
import { isGitError } from '../errors';
import { MemoryPackStore } from '../memory/pack-store';
import { MemoryRepository } from '../memory/repo';
import { encodePkt, flushPkt } from '../pktline';
import { receivePack } from '../protocol/receive-pack';
import { applyDelta } from './delta-apply';
import { createDelta } from './delta-create';
import { indexPack } from './index-pack';

const ITERATIONS = 400;
let packs: Uint8Array[];
let src: string;

beforeAll(() => {
  src = makeRepo(12);
  packs = [
    gitBytes(src, ['pack-objects', '--revs', '--stdout'], 'main\n'),
    gitBytes(src, ['pack-objects', '--revs', '--stdout', '--depth=50', '--window=50'], 'main\n'),
  ];
});
afterAll(() => removeDir(src));

/** Re-seal a mutated pack so parsing goes past the trailer check into entries and deltas. */
function reseal(data: Uint8Array): Uint8Array {
  if (data.length < 32) return data;
  const body = data.subarray(0, data.length - 20);
  return concatBytes([body, new Uint8Array(createHash('sha1').update(body).digest())]);
}

async function* split(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function indexOnce(data: Uint8Array, chunk: number): Promise<'ok' | string> {
  const store = new MemoryPackStore();
  const writer = store.newPack();
  try {
    await indexPack(split(data, chunk), writer, store, {});
    return 'ok';
  } catch (e) {
    if (!isGitError(e)) throw e;
    return e.code;
  }
}

describe('pack fuzz', () => {
  it(`indexes ${ITERATIONS} mutated packs: typed errors only, bounded memory`, async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = 0;
    const codes = new Map<string, number>();
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = rng(seed);
      const mutated = mutate(r, r.pick(packs));
      const data = r.int(10) === 0 ? r.bytes(r.int(200)) : r.int(4) === 0 ? mutated : reseal(mutated);
      const outcome = await noHang(`seed ${seed}`, () =>
        indexOnce(data, 1 + r.int(4096)).catch((e: unknown) => {
          throw new Error(`seed ${seed}: untyped failure ${String(e)}`);
        }),
      );
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
      peak = Math.max(peak, process.memoryUsage().heapUsed - heapBefore);
    }
    // Mutations must mostly be caught, and the memory held stays small (packs here are ~100 KiB).
    expect(codes.size, JSON.stringify([...codes])).toBeGreaterThan(5);
    console.info('pack fuzz outcomes', JSON.stringify([...codes]), 'peak heap delta', peak);
    expect(peak).toBeLessThan(256 * 1024 * 1024);
  });

  it('receive-pack answers random push bodies without crashing', async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(1000 + seed);
      const head = encodePkt(
        `${'0'.repeat(40)} ${'1'.repeat(40)} refs/heads/x\0report-status side-band-64k\n`,
      );
      const base = concatBytes([head, flushPkt(), r.pick(packs)]);
      const body = r.int(4) === 0 ? r.bytes(r.int(300)) : mutate(r, base);
      const repo = new MemoryRepository();
      await noHang(`seed ${1000 + seed}`, async () => {
        const reader = receivePack(split(body, 1 + r.int(2048)), repo).getReader();
        for (;;) if ((await reader.read()).done) break;
      });
      expect((await repo.refs.list()).length).toBe(0);
    }
  });

  it('applies and indexes mutated deltas (valid zlib, bad instructions): typed errors only', async () => {
    const codes = new Map<string, number>();
    for (let seed = 1; seed <= 600; seed++) {
      const r = rng(5000 + seed);
      const base = r.bytes(1 + r.int(3000));
      const target = mutate(r, base);
      const good = createDelta(base, target) ?? new Uint8Array([base.length & 0x7f, 0]);
      const delta = r.int(5) === 0 ? r.bytes(r.int(64)) : mutate(r, good);
      let code = 'ok';
      try {
        applyDelta(base, delta);
      } catch (e) {
        if (!isGitError(e)) throw new Error(`seed ${5000 + seed}: untyped failure ${String(e)}`);
        code = e.code;
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
      // The same delta inside a pack, against a base the pack carries.
      const b = obj('blob', base);
      const pack = buildPack([wholeEntry(b), refDeltaEntry(b.oid, delta)]);
      const outcome = await noHang(`seed ${5000 + seed}`, () => indexOnce(pack, 1 + r.int(512)));
      if (code === 'ok') expect(outcome).toBe('ok');
      else expect(outcome).not.toBe('ok');
    }
    expect(codes.size, JSON.stringify([...codes])).toBeGreaterThan(2);
    console.info('delta fuzz outcomes', JSON.stringify([...codes]));
  });
});
