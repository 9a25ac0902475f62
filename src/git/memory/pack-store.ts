import { PackError } from '../errors';
import type { Oid, PackEntry, PackStore, PackWriter } from '../store';

/** Pack bytes kept as the appended chunks, with their start offsets for binary search. */
class ChunkedBytes {
  private readonly chunks: Uint8Array[] = [];
  private readonly starts: number[] = [];
  length = 0;

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Copy: callers may reuse their buffers.
    this.chunks.push(chunk.slice());
    this.starts.push(this.length);
    this.length += chunk.length;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.length) {
      throw new PackError(
        'PACK_TRUNCATED',
        `read [${offset}, ${offset + length}) past pack end ${this.length}`,
      );
    }
    const out = new Uint8Array(length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    let done = 0;
    for (let i = lo; done < length; i++) {
      const c = this.chunks[i];
      const from = offset + done - this.starts[i];
      const n = Math.min(c.length - from, length - done);
      out.set(c.subarray(from, from + n), done);
      done += n;
    }
    return out;
  }
}

interface MemoryPack {
  readonly bytes: ChunkedBytes;
  readonly entries: Map<Oid, PackEntry>;
  published: boolean;
}

/**
 * An in-memory PackStore for tests and the Node test server. Pending packs are invisible to
 * lookups until `publish`; on duplicate objects the first published entry wins.
 */
export class MemoryPackStore implements PackStore {
  private readonly packs = new Map<number, MemoryPack>();
  private readonly index = new Map<Oid, PackEntry>();
  private nextId = 1;

  newPack(): PackWriter {
    const packId = this.nextId++;
    const pack: MemoryPack = { bytes: new ChunkedBytes(), entries: new Map(), published: false };
    this.packs.set(packId, pack);
    const packs = this.packs;
    return {
      packId,
      async append(chunk) {
        pack.bytes.append(chunk);
      },
      async read(offset, length) {
        return pack.bytes.read(offset, length);
      },
      async addEntries(entries) {
        for (const e of entries) if (!pack.entries.has(e.oid)) pack.entries.set(e.oid, e);
      },
      async lookupPending(oid) {
        return pack.entries.get(oid) ?? null;
      },
      async abort() {
        if (!pack.published) packs.delete(packId);
      },
    };
  }

  /** Make a pending pack's objects visible. */
  publish(packId: number): void {
    const pack = this.packs.get(packId);
    if (pack === undefined) throw new PackError('PACK_BAD_ENTRY', `no pack ${packId}`);
    if (pack.published) return;
    pack.published = true;
    for (const [oid, e] of pack.entries) if (!this.index.has(oid)) this.index.set(oid, e);
  }

  /** Drop a pending pack. */
  discard(packId: number): void {
    const pack = this.packs.get(packId);
    if (pack !== undefined && !pack.published) this.packs.delete(packId);
  }

  async lookup(oid: Oid): Promise<PackEntry | null> {
    return this.index.get(oid) ?? null;
  }

  async isEmpty(): Promise<boolean> {
    return this.index.size === 0;
  }

  async lookupMany(oids: readonly Oid[]): Promise<Map<Oid, PackEntry>> {
    const out = new Map<Oid, PackEntry>();
    for (const oid of oids) {
      const e = this.index.get(oid);
      if (e !== undefined) out.set(oid, e);
    }
    return out;
  }

  async readPack(packId: number, offset: number, length: number): Promise<Uint8Array> {
    const pack = this.packs.get(packId);
    if (pack === undefined) throw new PackError('PACK_BAD_ENTRY', `no pack ${packId}`);
    return pack.bytes.read(offset, length);
  }

  /** Number of visible objects. */
  get objectCount(): number {
    return this.index.size;
  }

  /** Whether a pack (published or pending) holds an object. */
  packHas(packId: number, oid: Oid): boolean {
    return this.packs.get(packId)?.entries.has(oid) ?? false;
  }

  /** Objects of a pack (published or pending). */
  packObjectCount(packId: number): number {
    return this.packs.get(packId)?.entries.size ?? 0;
  }

  /** Total bytes of a pack (published or pending). */
  packSize(packId: number): number {
    return this.packs.get(packId)?.bytes.length ?? 0;
  }
}
