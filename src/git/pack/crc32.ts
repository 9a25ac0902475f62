/** CRC-32 (IEEE, as zlib and the .idx v2 format use), table-driven and incremental. */

/** Slicing-by-8 tables: TABLES[k][n] is the CRC of byte n followed by k zero bytes. */
const TABLES = makeTables();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

function makeTables(): Uint32Array[] {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1];
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) t[n] = (prev[n] >>> 8) ^ t0[prev[n] & 0xff];
    tables.push(t);
  }
  return tables;
}

/** Continues a CRC-32 over `bytes` (a platform may supply a native one, e.g. zlib's). */
export type Crc32Fn = (crc: number, bytes: Uint8Array) => number;

/**
 * Continue a CRC over `bytes`; start with `crc = 0`. Returns an unsigned 32-bit value.
 * Eight bytes per step (every byte of a push goes through here; a byte at a time cost more
 * than inflating it).
 */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = ~crc;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c =
      T7[c & 0xff] ^
      T6[(c >>> 8) & 0xff] ^
      T5[(c >>> 16) & 0xff] ^
      T4[c >>> 24] ^
      T3[bytes[i + 4]] ^
      T2[bytes[i + 5]] ^
      T1[bytes[i + 6]] ^
      T0[bytes[i + 7]];
  }
  for (; i < end; i++) c = T0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  return crc32Update(0, bytes);
}
