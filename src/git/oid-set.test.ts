import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { settledBytes } from '../../test/helpers/memory';
import { IdList } from './id-list';
import { bytesToHex } from './oid';
import { OidSet } from './oid-set';

function randomOid(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(20)));
}

describe('OidSet', () => {
  it('holds the same ids as a Set of strings, through growth and repeats', () => {
    const ids = Array.from({ length: 5000 }, randomOid);
    const set = new OidSet();
    for (const id of ids) set.add(id);
    for (const id of ids.slice(0, 1000)) set.add(id);
    expect(set.size).toBe(5000);
    expect(new Set(set)).toEqual(new Set(ids));
    for (const id of ids) expect(set.has(id)).toBe(true);
    for (let i = 0; i < 1000; i++) expect(set.has(randomOid())).toBe(false);
  });

  it('made for an expected count, holds the same ids without growing', () => {
    const ids = Array.from({ length: 3000 }, randomOid);
    const set = new OidSet(ids.length);
    const table = (set as unknown as { keys: Uint8Array }).keys;
    for (const id of ids) set.add(id);
    expect((set as unknown as { keys: Uint8Array }).keys).toBe(table);
    expect(set.size).toBe(3000);
    expect(new Set(set)).toEqual(new Set(ids));
  });

  it('lists the ids missing from another set', () => {
    const ids = Array.from({ length: 3000 }, randomOid);
    const a = new OidSet();
    const b = new OidSet();
    for (const id of ids) a.add(id);
    for (const id of ids.slice(0, 2000)) b.add(id);
    b.add(randomOid());
    expect(new Set(a.notIn(b))).toEqual(new Set(ids.slice(2000)));
    expect([...b.notIn(a)]).toHaveLength(1);
    expect([...new OidSet().notIn(a)]).toEqual([]);
  });

  it('keeps mark bits per id, through growth, and lists ids by their marks', () => {
    const ids = Array.from({ length: 4000 }, randomOid);
    const set = new OidSet();
    // 1 on the first 3000, 2 on the last 3000: both on the middle 2000.
    for (const id of ids.slice(0, 3000)) expect(set.add(id, 1)).toBe(0);
    for (const id of ids.slice(1000)) set.add(id, 2);
    expect(set.add(ids[1500], 2)).toBe(3);
    expect(set.size).toBe(4000);
    expect(new Set(set.marked(1, 2))).toEqual(new Set(ids.slice(0, 1000)));
    expect(new Set(set.marked(2, 1))).toEqual(new Set(ids.slice(3000)));
    expect(new Set(set.marked(2))).toEqual(new Set(ids.slice(1000)));
    expect([set.has(ids[0], 2), set.has(ids[0], 1), set.has(ids[0]), set.has(ids[3999], 1)]).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('lists ids nearly in id order (what lookups in a sorted index want)', () => {
    const set = new OidSet();
    for (let i = 0; i < 20_000; i++) set.add(randomOid());
    const listed = [...set];
    let ordered = 0;
    for (let i = 1; i < listed.length; i++) if (listed[i - 1] < listed[i]) ordered++;
    // Only ids pushed past their slot by a neighbour come out of order.
    expect(ordered / (listed.length - 1)).toBeGreaterThan(0.8);
  });

  it('takes ids at an offset inside a buffer', () => {
    const id = randomOid();
    const buf = new Uint8Array(30);
    buf.set(Buffer.from(id, 'hex'), 7);
    const set = new OidSet();
    set.addBytes(buf, 7);
    expect([...set]).toEqual([id]);
  });

  it('tells apart ids that share their first bytes', () => {
    const a = `00000000${'1'.repeat(32)}`;
    const b = `00000000${'2'.repeat(32)}`;
    const set = new OidSet();
    set.add(a);
    expect(set.has(b)).toBe(false);
    set.add(b);
    expect(set.size).toBe(2);
  });

  it('holds an id in its row and two slots of row numbers, not 21-byte slots (400,000 ids)', async () => {
    const n = 400_000;
    const ids = new Uint8Array(20 * 4096);
    const before = await settledBytes();
    const set = new OidSet();
    for (let done = 0; done < n; done += 4096) {
      randomFillSync(ids);
      for (let i = 0; i < 4096; i++) set.addBytes(ids, i * 20, 1);
    }
    const perId = ((await settledBytes()) - before) / set.size;
    console.log(`OidSet holds ${perId.toFixed(1)} bytes an id at ${set.size} ids`);
    // Ids in the slots themselves: 2^20 slots of 21 bytes, 55 bytes an id.
    expect(perId).toBeLessThan(40);
    expect(set.hasBytes(ids, 0)).toBe(true);
  });

  it('hands on its marked ids in the order they came, letting itself go as it does', async () => {
    // Over two chunks of ids (32,768 a chunk), so the order across chunks shows.
    const ids = Array.from({ length: 70_000 }, randomOid);
    const set = new OidSet();
    for (const [i, id] of ids.entries()) set.add(id, i % 3 === 0 ? 5 : 1);
    set.add(ids[1], 4);
    const got: string[] = [];
    set.drainMarked(4, (bytes, at) => got.push(bytesToHex(bytes.subarray(at, at + 20))));
    expect(got).toEqual(ids.filter((_, i) => i % 3 === 0 || i === 1));
    expect([set.size, set.has(ids[0]), [...set].length]).toEqual([0, false, 0]);
    // Usable again, as a new set.
    set.add(ids[2], 4);
    expect([set.size, set.has(ids[2], 4)]).toEqual([1, true]);

    // What it held is garbage as the ids are handed on: the list they go to (20 bytes an id)
    // grows while the set (~35 bytes an id here) goes, so the two are never held whole together.
    const big = new OidSet();
    const raw = new Uint8Array(20 * 4096);
    for (let done = 0; done < 300_000; done += 4096) {
      randomFillSync(raw);
      for (let i = 0; i < 4096; i++) big.addBytes(raw, i * 20, 4);
    }
    const n = big.size;
    const held = await settledBytes();
    const list = new IdList();
    big.drainMarked(4, (bytes, at) => list.pushBytes(bytes, at));
    const grew = ((await settledBytes()) - held) / n;
    console.log(`handing on ${n} ids changed what is held by ${grew.toFixed(1)} bytes an id`);
    expect(list.length).toBe(n);
    // +20 if the set stayed beside the list.
    expect(grew).toBeLessThan(0);
  });

  it('refuses what is not a 40-digit hex id', () => {
    const set = new OidSet();
    for (const bad of ['', 'abc', 'g'.repeat(40), `${'a'.repeat(39)}`, `${'a'.repeat(41)}`]) {
      expect(() => set.add(bad)).toThrow(/invalid object id/);
      expect(() => set.has(bad)).toThrow(/invalid object id/);
    }
    expect(set.size).toBe(0);
    // The same id in capitals is the same key.
    set.add('ab'.repeat(20));
    expect(set.has('AB'.repeat(20))).toBe(true);
  });
});
