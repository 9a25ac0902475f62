/**
 * Fuzz of the pkt-line reader: random and mutated streams, cut at random chunk boundaries, end in
 * packets or a typed GitError, never another exception or a hang.
 */
import { describe, expect, it } from 'vitest';
import { mutate, noHang, rng } from '../../test/helpers/prng';
import { concatBytes } from './bytes';
import { isGitError } from './errors';
import { encodePkt, flushPkt, PktLineReader } from './pktline';

async function* split(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const SAMPLE = concatBytes([
  encodePkt('want 1111111111111111111111111111111111111111 side-band-64k\n'),
  encodePkt('have 2222222222222222222222222222222222222222\n'),
  Uint8Array.from([0x30, 0x30, 0x30, 0x31]),
  encodePkt(new Uint8Array(300).fill(7)),
  flushPkt(),
  encodePkt('done\n'),
]);

describe('pkt-line fuzz', () => {
  it('reads 3000 random and mutated streams: packets or typed errors only', async () => {
    const outcomes = new Map<string, number>();
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      const data = r.int(3) === 0 ? r.bytes(r.int(100)) : mutate(r, SAMPLE);
      const reader = new PktLineReader(split(data, 1 + r.int(64)));
      let outcome = 'eof';
      await noHang(`seed ${seed}`, async () => {
        for (let n = 0; n < 1000; n++) {
          try {
            const p = await reader.read();
            if (p.type === 'eof') return;
            // A packet never claims more than the 65520-byte pkt-line maximum.
            if (p.type === 'data') expect(p.data.length).toBeLessThanOrEqual(65516);
          } catch (e) {
            if (!isGitError(e)) throw new Error(`seed ${seed}: untyped failure ${String(e)}`);
            outcome = e.code;
            return;
          }
        }
      });
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(outcomes.size).toBeGreaterThan(1);
  });
});
