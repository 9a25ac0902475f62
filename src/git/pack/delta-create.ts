/**
 * A delta creator in the spirit of git's diff-delta: the source is indexed by a hash of every
 * 16-byte block at block-aligned positions, the target is scanned with a rolling hash over a
 * 16-byte window, and candidate matches are verified and extended in both directions.
 */

const WINDOW = 16;
/** Copies are split so each instruction stays at git's classic 64 KiB maximum. */
const MAX_COPY = 0x10000;
const MAX_INSERT = 0x7f;
/** Candidates examined per hash bucket; bounds the cost on repetitive inputs. */
const MAX_CANDIDATES = 16;
const BASE = 0x01000193;

/** BASE^WINDOW mod 2^32, to remove the byte leaving the rolling window. */
const BASE_POW = (() => {
  let p = 1;
  for (let i = 0; i < WINDOW; i++) p = Math.imul(p, BASE);
  return p;
})();

function blockHash(bytes: Uint8Array, start: number): number {
  let h = 0;
  for (let i = start; i < start + WINDOW; i++) h = (Math.imul(h, BASE) + bytes[i]) | 0;
  return h;
}

function pushVarint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

class DeltaBuilder {
  readonly out: number[] = [];
  private pending: number[] = [];

  insertByte(b: number): void {
    this.pending.push(b);
    if (this.pending.length === MAX_INSERT) this.flushInsert();
  }

  /** Take back the last `n` literal bytes (when a match extends backwards over them). */
  unInsert(n: number): void {
    this.pending.length -= n;
  }

  get pendingLength(): number {
    return this.pending.length;
  }

  flushInsert(): void {
    if (this.pending.length === 0) return;
    this.out.push(this.pending.length, ...this.pending);
    this.pending = [];
  }

  copy(offset: number, size: number): void {
    this.flushInsert();
    while (size > 0) {
      const n = Math.min(size, MAX_COPY);
      let op = 0x80;
      const args: number[] = [];
      for (let bit = 0; bit < 4; bit++) {
        const b = Math.floor(offset / 2 ** (8 * bit)) & 0xff;
        if (b !== 0) {
          op |= 1 << bit;
          args.push(b);
        }
      }
      const sz = n === MAX_COPY ? 0 : n;
      for (let bit = 0; bit < 3; bit++) {
        const b = (sz >> (8 * bit)) & 0xff;
        if (b !== 0) {
          op |= 0x10 << bit;
          args.push(b);
        }
      }
      this.out.push(op, ...args);
      offset += n;
      size -= n;
    }
  }
}

/**
 * Create a delta that turns `source` into `target`. Returns null when the delta would not be
 * smaller than `maxSize` (default: the target size), so callers can store the object whole.
 */
export function createDelta(
  source: Uint8Array,
  target: Uint8Array,
  maxSize = target.length,
): Uint8Array | null {
  const header: number[] = [];
  pushVarint(header, source.length);
  pushVarint(header, target.length);
  const b = new DeltaBuilder();

  const index = new Map<number, number[]>();
  for (let i = 0; i + WINDOW <= source.length; i += WINDOW) {
    const h = blockHash(source, i);
    const list = index.get(h);
    if (list === undefined) index.set(h, [i]);
    else if (list.length < MAX_CANDIDATES) list.push(i);
  }

  let t = 0;
  let h = target.length >= WINDOW ? blockHash(target, 0) : 0;
  while (t < target.length) {
    if (t + WINDOW > target.length) {
      b.insertByte(target[t++]);
      continue;
    }
    let bestLen = 0;
    let bestSrc = 0;
    const candidates = index.get(h);
    if (candidates !== undefined) {
      for (const s of candidates) {
        let len = 0;
        while (s + len < source.length && t + len < target.length && source[s + len] === target[t + len])
          len++;
        if (len > bestLen) {
          bestLen = len;
          bestSrc = s;
        }
      }
    }
    if (bestLen >= WINDOW) {
      // Extend backwards over literals that also match.
      let back = 0;
      while (
        back < b.pendingLength &&
        bestSrc - back > 0 &&
        source[bestSrc - back - 1] === target[t - back - 1]
      )
        back++;
      b.unInsert(back);
      b.copy(bestSrc - back, bestLen + back);
      t += bestLen;
      if (t + WINDOW <= target.length) h = blockHash(target, t);
    } else {
      b.insertByte(target[t]);
      if (t + WINDOW < target.length) {
        h = (Math.imul(h, BASE) + target[t + WINDOW] - Math.imul(BASE_POW, target[t])) | 0;
      }
      t++;
    }
    if (header.length + b.out.length > maxSize) return null;
  }
  b.flushInsert();
  if (header.length + b.out.length > maxSize) return null;
  const out = new Uint8Array(header.length + b.out.length);
  out.set(header, 0);
  out.set(b.out, header.length);
  return out;
}
