// The pack index's record format: entries survive encoding, chunks are searched and runs merged
// in oid order, and a repeated id keeps its first record.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idHexAt, oidToBytes } from '../git/oid';
import type { PackEntry } from '../git/store';
import {
  CHUNK_BYTES,
  ChunkBuilder,
  type ChunkSource,
  decodeRecord,
  encodeRecord,
  findRecord,
  mergeRuns,
  RECORD_SIZE,
  RECORDS_PER_CHUNK,
  sortedOrder,
} from './index-record';

const oidOf = (n: number): string => createHash('sha1').update(String(n)).digest('hex');

function entry(n: number, over: Partial<PackEntry> = {}): PackEntry {
  return {
    oid: oidOf(n),
    packId: 7,
    offset: 12 + n * 1000,
    dataOffset: 12 + n * 1000 + 3,
    end: 12 + n * 1000 + 700,
    type: (['commit', 'tree', 'blob', 'tag'] as const)[n % 4],
    size: n * 31,
    baseOid: n % 3 === 0 ? oidOf(n + 1) : null,
    depth: n % 3 === 0 ? n % 50 : 0,
    crc32: (n * 2654435761) >>> 0,
    ...over,
  };
}

/** Sorted records of `entries` as chunks. */
function chunksOf(entries: PackEntry[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const b = new ChunkBuilder((c) => chunks.push(c));
  const rec = new Uint8Array(RECORD_SIZE);
  for (const e of [...entries].sort((x, y) => (x.oid < y.oid ? -1 : x.oid > y.oid ? 1 : 0))) {
    encodeRecord(e, rec, 0);
    b.push(rec, 0);
  }
  b.flush();
  return chunks;
}

const source = (chunks: Uint8Array[]): ChunkSource => {
  let i = 0;
  return () => chunks[i++] ?? null;
};

describe('pack index records', () => {
  it('decode what was encoded, big numbers and all', () => {
    const out = new Uint8Array(RECORD_SIZE * 2);
    const samples = [
      entry(3),
      entry(4),
      entry(9, {
        offset: 2 ** 40 + 5,
        dataOffset: 2 ** 40 + 5 + 30,
        end: 2 ** 41,
        size: 2 ** 45,
        depth: 70000,
      }),
      entry(10, { crc32: 0xffffffff, baseOid: oidOf(1), type: 'tag' }),
    ];
    for (const e of samples) {
      encodeRecord(e, out, RECORD_SIZE);
      expect(decodeRecord(out, RECORD_SIZE, 7)).toEqual(e);
    }
  });

  it('finds every record of a chunk and nothing else', () => {
    const entries = Array.from({ length: RECORDS_PER_CHUNK }, (_, i) => entry(i));
    const [chunk] = chunksOf(entries);
    expect(chunk.byteLength).toBe(CHUNK_BYTES);
    for (const e of entries) {
      const at = findRecord(chunk, oidToBytes(e.oid));
      expect(at).toBeGreaterThanOrEqual(0);
      expect(decodeRecord(chunk, at, 7)).toEqual(e);
    }
    for (let n = 1000; n < 1100; n++) expect(findRecord(chunk, oidToBytes(oidOf(n)))).toBe(-1);
  });

  it('cuts chunks of a fixed size and drops a repeated id, keeping the first', () => {
    const entries = Array.from({ length: 1000 }, (_, i) => entry(i));
    entries.push(entry(5, { offset: 99, dataOffset: 100, end: 200 }));
    const chunks = chunksOf(entries);
    expect(chunks.slice(0, -1).every((c) => c.byteLength === CHUNK_BYTES)).toBe(true);
    const all = chunks.flatMap((c) =>
      Array.from({ length: c.byteLength / RECORD_SIZE }, (_, i) => decodeRecord(c, i * RECORD_SIZE, 7)),
    );
    expect(all.length).toBe(1000);
    expect(all.map((e) => e.oid)).toEqual(
      entries
        .slice(0, 1000)
        .map((e) => e.oid)
        .sort(),
    );
    expect(all.find((e) => e.oid === oidOf(5))).toEqual(entry(5));
  });

  it('merges sorted runs into one sorted sequence, the earlier run first on a tie', () => {
    const runs = [0, 1, 2, 3].map((r) =>
      chunksOf(Array.from({ length: 300 + r * 50 }, (_, i) => entry(i * 4 + r))),
    );
    const shared = [chunksOf([entry(1, { offset: 5, dataOffset: 6, end: 9 })]), chunksOf([entry(1)])];
    const seen: PackEntry[] = [];
    mergeRuns([...runs, ...shared].map(source), (c, at) => seen.push(decodeRecord(c, at, 7)));
    const oids = seen.map((e) => e.oid);
    expect(oids).toEqual([...oids].sort());
    expect(seen.length).toBe(300 + 350 + 400 + 450 + 2);
    // entry(1) is in run 1 and both extra runs: run order decides.
    expect(seen.filter((e) => e.oid === oidOf(1)).map((e) => e.offset)).toEqual([
      entry(1).offset,
      5,
      entry(1).offset,
    ]);
    expect(idHexAt(runs[0][0], 0)).toBe(runs[0].length > 0 ? decodeRecord(runs[0][0], 0, 7).oid : '');
  });

  it('orders records by the whole id, stably, also where ids share their first bytes', () => {
    const entries: PackEntry[] = [];
    for (let i = 0; i < 3000; i++) entries.push(entry(i));
    // Ids equal in their first 4 bytes (and some in 19), and repeated ids with distinct offsets.
    for (let i = 0; i < 300; i++) {
      const twin = entries[i * 7].oid;
      entries.push(
        entry(i, {
          oid: twin.slice(0, 8) + oidOf(i + 5000).slice(8),
          offset: 1e6 + i,
          dataOffset: 1e6 + i + 2,
        }),
      );
      entries.push(
        entry(i, {
          oid: twin.slice(0, 38) + (twin.slice(38) === 'ff' ? '00' : 'ff'),
          offset: 2e6 + i,
          dataOffset: 2e6 + i + 2,
        }),
      );
      entries.push(entry(i, { oid: twin, offset: 3e6 + i, dataOffset: 3e6 + i + 2 }));
    }
    const records = new Uint8Array(entries.length * RECORD_SIZE);
    for (const [i, e] of entries.entries()) encodeRecord(e, records, i * RECORD_SIZE);
    const got = Array.from(sortedOrder(records, entries.length), (i) => entries[i]);
    const want = entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (a.e.oid < b.e.oid ? -1 : a.e.oid > b.e.oid ? 1 : a.i - b.i))
      .map((x) => x.e);
    expect(got).toEqual(want);
  });
});
