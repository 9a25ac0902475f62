/** A seeded PRNG and byte mutators for fuzz tests: every failure reproduces from its seed. */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(n: number): number;
  bytes(n: number): Uint8Array;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, and good enough to drive mutations. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
    pick(items) {
      return items[int(items.length)];
    },
  };
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x20, 0x30, 0x2e];

/** A copy of `data` with 1-4 random edits: byte flips, interesting bytes, cuts, inserts, repeats. */
export function mutate(r: Rng, data: Uint8Array): Uint8Array {
  let out = data.slice();
  const edits = 1 + r.int(4);
  for (let e = 0; e < edits; e++) {
    const at = out.length === 0 ? 0 : r.int(out.length);
    switch (r.int(6)) {
      case 0:
        if (out.length) out[at] ^= 1 << r.int(8);
        break;
      case 1:
        if (out.length) out[at] = r.pick(INTERESTING);
        break;
      case 2:
        out = out.slice(0, at);
        break;
      case 3: {
        const ins = r.bytes(1 + r.int(16));
        out = new Uint8Array([...out.subarray(0, at), ...ins, ...out.subarray(at)]);
        break;
      }
      case 4: {
        const len = r.int(Math.min(64, out.length - at) + 1);
        out = new Uint8Array([...out.subarray(0, at), ...out.subarray(at + len)]);
        break;
      }
      default: {
        const len = r.int(Math.min(32, out.length - at) + 1);
        const piece = out.slice(at, at + len);
        out = new Uint8Array([...out.subarray(0, at), ...piece, ...piece, ...out.subarray(at)]);
      }
    }
  }
  return out;
}

/**
 * Fails, naming `what` (a seed), when `work` never settles: a hang is a bug. The deadline is far
 * beyond any run on a busy machine; it catches a stuck await, not a slow one.
 */
export async function noHang<T>(what: string, work: () => Promise<T>): Promise<T> {
  const ms = 60_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms (hang?)`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
