import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GitError } from '../errors';
import { packTypeToType, typeToPackType } from '../object-header';
import { bytesToHex, hexToBytes, isOid } from '../oid';
import { createSha1, hashObject } from '../sha1';
import { crc32, crc32Update } from './crc32';
import { decodeEntryHeader, decodeOfsDelta, encodeEntryHeader, encodeOfsDelta } from './entry-header';
import { ByteLru } from './lru';
import { deflateBytes, inflateExact, StreamInflater } from './zlib';

const enc = new TextEncoder();

describe('oid and sha1', () => {
  it('converts hex and validates oids', () => {
    const oid = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    expect(isOid(oid)).toBe(true);
    expect(isOid(oid.toUpperCase())).toBe(false);
    expect(isOid(oid.slice(1))).toBe(false);
    expect(bytesToHex(hexToBytes(oid))).toBe(oid);
    expect(() => hexToBytes('zz')).toThrow(GitError);
  });
  it('hashes objects like git hash-object', () => {
    const data = enc.encode('hello world\n');
    const expected = execFileSync('git', ['hash-object', '--stdin'], {
      input: data,
      encoding: 'utf8',
    }).trim();
    expect(hashObject('blob', data)).toBe(expected);
    expect(hashObject('blob', new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
  it('incremental sha1 equals one-shot', () => {
    const h = createSha1();
    h.update(enc.encode('ab'));
    h.update(enc.encode('c'));
    expect(bytesToHex(h.digest())).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
  it('maps object types to pack type numbers', () => {
    expect([
      typeToPackType('commit'),
      typeToPackType('tree'),
      typeToPackType('blob'),
      typeToPackType('tag'),
    ]).toEqual([1, 2, 3, 4]);
    expect(packTypeToType(3)).toBe('blob');
    expect(packTypeToType(6)).toBeNull();
  });
});

describe('crc32', () => {
  it('matches the standard check value and is incremental', () => {
    const data = enc.encode('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32Update(crc32Update(0, data.subarray(0, 4)), data.subarray(4))).toBe(0xcbf43926);
  });

  it('equals zlib for every length and split point around the 8-byte steps', () => {
    const data = new Uint8Array(randomBytes(300));
    for (let n = 0; n <= 40; n++) {
      const part = data.subarray(0, n);
      expect(crc32(part)).toBe(zlibCrc32(part));
      for (let cut = 0; cut <= n; cut++) {
        expect(crc32Update(crc32Update(0, part, 0, cut), part, cut, n)).toBe(zlibCrc32(part));
      }
    }
    expect(crc32Update(0, data, 3, 297)).toBe(zlibCrc32(data.subarray(3, 297)));
  });
});

describe('entry headers', () => {
  it('round-trips type/size and ofs-delta encodings', () => {
    for (const size of [0, 1, 15, 16, 127, 128, 2047, 2048, 1 << 20, 2 ** 32 + 5, 2 ** 40]) {
      const h = encodeEntryHeader(3, size);
      expect(decodeEntryHeader(h)).toEqual({ type: 3, size, length: h.length });
      expect(decodeEntryHeader(h.subarray(0, h.length - 1))).toBeNull();
    }
    for (const d of [1, 127, 128, 129, 16383, 16384, 16511, 16512, 2 ** 31, 2 ** 40]) {
      const e = encodeOfsDelta(d);
      expect(decodeOfsDelta(e)).toEqual({ distance: d, length: e.length });
    }
    // git's encoding: 128 is 0x80 0x00 (continuation adds one).
    expect(Array.from(encodeOfsDelta(128))).toEqual([0x80, 0x00]);
    expect(() => decodeEntryHeader(Uint8Array.of(0x50))).toThrow(GitError);
  });
});

describe('zlib', () => {
  it('stops at the end of one stream and reports consumed input', () => {
    const a = deflateBytes(enc.encode('first object'.repeat(100)));
    const b = deflateBytes(enc.encode('second'));
    const joined = new Uint8Array(a.length + b.length);
    joined.set(a);
    joined.set(b, a.length);
    const parts: number[] = [];
    const inf = new StreamInflater((c) => parts.push(c.length));
    let used = 0;
    for (let i = 0; i < joined.length && !inf.done; i += 7)
      used += inf.push(joined.subarray(i, Math.min(i + 7, joined.length)));
    expect(inf.done).toBe(true);
    expect(used).toBe(a.length);
    expect(inf.total).toBe(1200);
    expect(inflateExact(b, 6)).toEqual(enc.encode('second'));
    expect(() => inflateExact(b, 5)).toThrow(GitError);
    expect(() => inflateExact(b.subarray(0, 4), 6)).toThrow(GitError);
  });
});

describe('ByteLru', () => {
  it('evicts least recently used entries by bytes', () => {
    const lru = new ByteLru<string, Uint8Array>(10);
    lru.set('a', new Uint8Array(4));
    lru.set('b', new Uint8Array(4));
    lru.get('a');
    lru.set('c', new Uint8Array(4));
    expect(lru.has('a')).toBe(true);
    expect(lru.has('b')).toBe(false);
    lru.set('big', new Uint8Array(11));
    expect(lru.has('big')).toBe(false);
    expect(lru.totalBytes).toBe(8);
  });
  it('shrinks to a lower bound at once, least recently used first, and grows again when raised', () => {
    const lru = new ByteLru<string, Uint8Array>(12);
    for (const k of ['a', 'b', 'c']) lru.set(k, new Uint8Array(4));
    lru.get('a');
    lru.setLimit(5);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, false]);
    expect(lru.totalBytes).toBe(4);
    // Under the lower bound a value past it is not kept; raised, the cache takes it again.
    lru.set('d', new Uint8Array(6));
    expect(lru.has('d')).toBe(false);
    lru.setLimit(12);
    lru.set('d', new Uint8Array(6));
    expect(lru.has('d')).toBe(true);
    expect(lru.totalBytes).toBe(10);
  });
  it('agrees with a plain model over many random gets, sets, replacements and evictions', () => {
    const lru = new ByteLru<number, Uint8Array>(100);
    // The model: keys from least to most recently used.
    let order: number[] = [];
    const sizes = new Map<number, number>();
    let x = 12345;
    const next = (n: number) => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x % n;
    };
    for (let step = 0; step < 20_000; step++) {
      const key = next(40);
      if (next(3) === 0) {
        const got = lru.get(key);
        expect(got?.byteLength).toBe(sizes.get(key));
        if (got !== undefined) order = [...order.filter((k) => k !== key), key];
      } else {
        const size = next(30) + (next(50) === 0 ? 100 : 0);
        lru.set(key, new Uint8Array(size));
        order = order.filter((k) => k !== key);
        sizes.delete(key);
        if (size <= 100) {
          order.push(key);
          sizes.set(key, size);
          let total = order.reduce((t, k) => t + (sizes.get(k) ?? 0), 0);
          while (total > 100) {
            const old = order.shift() as number;
            total -= sizes.get(old) ?? 0;
            sizes.delete(old);
          }
        }
      }
      expect(lru.size).toBe(order.length);
      expect(lru.totalBytes).toBe(order.reduce((t, k) => t + (sizes.get(k) ?? 0), 0));
    }
    for (const k of order) expect(lru.has(k)).toBe(true);
  });
});
