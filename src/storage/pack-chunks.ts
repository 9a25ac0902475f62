/**
 * Reading a pack's bytes from its chunk rows (`pack_chunks`: fixed-size rows in pack order),
 * through a cache of whole rows. Rows are immutable once written, so caching them across
 * requests is safe.
 */
import { ByteLru } from '../git/pack/lru';

/** Rows of 64 KiB: small enough that reading one object costs little, far below the 2 MB row cap. */
export const CHUNK_SIZE = 64 * 1024;

export class PackChunks {
  private readonly cache: ByteLru<string, Uint8Array>;

  constructor(
    private readonly sql: SqlStorage,
    cacheBytes: number,
  ) {
    this.cache = new ByteLru(cacheBytes);
  }

  /** `length` bytes of pack `packId` from `offset`; a view of a cached row when they lie in one. */
  read(packId: number, offset: number, length: number): Uint8Array {
    const first = Math.floor(offset / CHUNK_SIZE);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / CHUNK_SIZE);
    if (first === last) {
      const chunk = this.chunk(packId, first);
      const start = offset - first * CHUNK_SIZE;
      if (start + length > chunk.byteLength) throw new Error(`read past the end of pack ${packId}`);
      return chunk.subarray(start, start + length);
    }
    const out = new Uint8Array(length);
    let pos = 0;
    for (let seq = first; seq <= last; seq++) {
      const chunk = this.chunk(packId, seq);
      const start = seq === first ? offset - first * CHUNK_SIZE : 0;
      const n = Math.min(chunk.byteLength - start, length - pos);
      out.set(chunk.subarray(start, start + n), pos);
      pos += n;
    }
    if (pos !== length) throw new Error(`read past the end of pack ${packId}`);
    return out;
  }

  clear(): void {
    this.cache.clear();
  }

  /** Bound the cached rows to `bytes` from now on (evicting down to it). */
  setCacheLimit(bytes: number): void {
    this.cache.setLimit(bytes);
  }

  private chunk(packId: number, seq: number): Uint8Array {
    const key = `${packId}:${seq}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const row = this.sql
      .exec<{ data: ArrayBuffer }>('SELECT data FROM pack_chunks WHERE pack_id = ? AND seq = ?', packId, seq)
      .toArray()[0];
    if (!row) throw new Error(`pack ${packId} has no chunk ${seq}`);
    const data = new Uint8Array(row.data);
    this.cache.set(key, data);
    return data;
  }
}
