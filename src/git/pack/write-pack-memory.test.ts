import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { settledBytes as settled } from '../../../test/helpers/memory';
import { IdList } from '../id-list';
import type { ObjectDatabase } from '../odb';
import { idHexAt } from '../oid';
import { createSha1 } from '../sha1';
import type { Oid, PackEntry } from '../store';
import { writePack } from './write-pack';

/** Entries made up on demand (whole blobs of 1 byte), stored bytes shared: only the writer's table grows. */
function fakeOdb(): ObjectDatabase {
  const zlib = new Uint8Array([0x78, 0x01, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
  let offset = 0;
  return {
    createSha1,
    async entries(oids: readonly Oid[]): Promise<Map<Oid, PackEntry>> {
      const m = new Map<Oid, PackEntry>();
      for (const oid of oids) {
        offset += 12;
        m.set(oid, {
          oid,
          packId: 1,
          offset,
          dataOffset: offset + 2,
          end: offset + 11,
          type: 'blob',
          size: 1,
          baseOid: null,
          depth: 0,
          crc32: 0,
        });
      }
      return m;
    },
    async readStored() {
      return { packType: 3, storedSize: 1, zlib };
    },
  } as unknown as ObjectDatabase;
}

describe('writePack memory', () => {
  it('retains under 63 bytes an object once its table is built (200,000 objects)', async () => {
    const n = 200_000;
    const bytes = randomBytes(20 * n);
    const oids: Oid[] = [];
    for (let i = 0; i < n; i++) oids.push(idHexAt(bytes, i * 20));
    const before = await settled();
    const reader = writePack(oids, fakeOdb(), { ofsDelta: true }).getReader();
    // The first chunk comes once every entry is looked up and writing has begun.
    const first = await reader.read();
    const retained = (await settled()) - before;
    expect(first.done).toBe(false);
    console.log(`writer retains ${(retained / n).toFixed(0)} bytes an object for ${n} objects`);
    // 93 before the columns were narrowed and bases named by row, 69 before the depth, the CRC
    // and the written offsets' own column went; 52-58 since (heap accounting varies by ~5).
    expect(retained / n).toBeLessThan(63);
    let count = 1;
    while (!(await reader.read()).done) count++;
    expect(count).toBeGreaterThan(1);
    expect(oids.length).toBe(n);
  });

  it('lets a consumed id list go: its 20 bytes an object are not held beside the table', async () => {
    const n = 200_000;
    const bytes = randomBytes(20 * n);
    const list = new IdList();
    for (let i = 0; i < n; i++) list.pushBytes(bytes, i * 20);
    const before = await settled();
    const reader = writePack(list, fakeOdb(), { ofsDelta: true, consumeIds: true }).getReader();
    const first = await reader.read();
    const added = (await settled()) - before;
    expect(first.done).toBe(false);
    console.log(`writer adds ${(added / n).toFixed(0)} bytes an object to a consumed list of ${n}`);
    // The table (~48 bytes with its write order) less the list it replaced (~20); ~48 when the
    // list is kept (~68 before the depth, the CRC and the written offsets' column went).
    expect(added / n).toBeLessThan(40);
    while (!(await reader.read()).done);
  });
});
