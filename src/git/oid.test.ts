import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bytesToHex, idHexAt } from './oid';

describe('bytesToHex', () => {
  it('writes lowercase hex of any length, ids at any offset', () => {
    for (const n of [0, 1, 2, 19, 20, 21, 40, 4095, 4096, 4097, 10_000]) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      expect(bytesToHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
    }
    const buf = crypto.getRandomValues(new Uint8Array(64));
    const first = idHexAt(buf, 0);
    for (const at of [0, 1, 7, 44])
      expect(idHexAt(buf, at)).toBe(Buffer.from(buf.subarray(at, at + 20)).toString('hex'));
    // The reused scratch does not reach strings already made.
    expect(first).toBe(Buffer.from(buf.subarray(0, 20)).toString('hex'));
  });

  it('makes each id one flat string (~56 bytes), not a chain of partial ones (~450)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ids = Array.from({ length: 50_000 }, () => crypto.getRandomValues(new Uint8Array(20)));
    const keep: string[] = new Array(ids.length);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ids.length; i++) keep[i] = bytesToHex(ids[i]);
    gc();
    const perId = (process.memoryUsage().heapUsed - before) / ids.length;
    expect(perId).toBeLessThan(100);
    expect(keep[49_999]).toHaveLength(40);
  });
});
