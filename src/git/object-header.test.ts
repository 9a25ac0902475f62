import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { git } from '../../test/helpers/git';
import { objectHeader, objectHeaderLength, writeObjectHeader } from './object-header';
import { hashObject } from './sha1';

describe('objectHeader', () => {
  it('is "<type> <size>\\0" for sizes around every power of ten', () => {
    const sizes = [0, 1, 9];
    for (let p = 10; p <= 1e15; p *= 10) sizes.push(p - 1, p, p + 1);
    for (const size of sizes) {
      for (const type of ['blob', 'tree', 'commit', 'tag'] as const) {
        expect(new TextDecoder().decode(objectHeader(type, size))).toBe(`${type} ${size}\0`);
      }
    }
  });

  it('is written in place at an offset, leaving the bytes around it alone', () => {
    for (const size of [0, 9, 10, 65_535, 1_048_576]) {
      const type = 'commit';
      const buf = new Uint8Array(40).fill(0xee);
      const length = writeObjectHeader(type, size, buf, 7);
      expect(length).toBe(objectHeaderLength(type, size));
      expect(new TextDecoder().decode(buf.subarray(7, 7 + length))).toBe(`${type} ${size}\0`);
      expect(buf.subarray(0, 7).every((b) => b === 0xee)).toBe(true);
      expect(buf.subarray(7 + length).every((b) => b === 0xee)).toBe(true);
    }
  });

  it('gives the ids git gives', () => {
    for (const size of [0, 9, 10, 99, 100, 999, 1000, 10_000]) {
      const data = new Uint8Array(size).fill(0x61);
      const fromGit = git('.', ['hash-object', '--stdin'], data).trim();
      expect(hashObject('blob', data)).toBe(fromGit);
      const native = createHash('sha1').update(objectHeader('blob', size)).update(data).digest('hex');
      expect(native).toBe(fromGit);
    }
  });
});
