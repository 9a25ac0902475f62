import { PackError } from '../errors';
import { createSha1, type Sha1, type Sha1Factory } from '../sha1';
import { type Crc32Fn, crc32Update } from './crc32';

/**
 * Reads a pack as it arrives, in whatever chunks the transport delivers. Every consumed byte
 * goes into the pack SHA-1 (until `digest`) and, while an entry is open, into its CRC-32.
 * Raw chunks are handed to `onChunk` as they arrive so the store sees the pack unchanged.
 * Both are computed over whole consumed stretches (the rest of a chunk, an entry), not byte by
 * byte as entry headers are parsed: a native call per header byte cost more than the hashing.
 */
export class PackInput {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Bytes of `chunk` before this are in the pack SHA-1. */
  private hashed = 0;
  /** Bytes of `chunk` before this are in the entry's CRC (or precede the entry). */
  private crcFrom = 0;
  private crcValue = 0;
  private ended = false;
  private hashing = true;
  private readonly sha: Sha1;
  /** Offset in the pack of the next unconsumed byte. */
  offset = 0;

  constructor(
    input: AsyncIterable<Uint8Array>,
    private readonly onChunk: (chunk: Uint8Array) => Promise<void>,
    newSha1: Sha1Factory = createSha1,
    private readonly crc32: Crc32Fn = crc32Update,
  ) {
    this.sha = newSha1();
    this.iterator = input[Symbol.asyncIterator]();
  }

  /** The unconsumed rest of the current chunk, fetching more input if needed; empty at end. */
  async available(): Promise<Uint8Array> {
    while (this.pos >= this.chunk.length && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      if (next.value.length === 0) continue;
      await this.onChunk(next.value);
      this.hashConsumed();
      this.crcConsumed();
      this.chunk = next.value;
      this.pos = 0;
      this.hashed = 0;
      this.crcFrom = 0;
    }
    return this.chunk.subarray(this.pos);
  }

  /** Mark `n` bytes of the current chunk consumed. */
  consume(n: number): void {
    this.pos += n;
    this.offset += n;
  }

  /** Start the CRC-32 of an entry at the next unconsumed byte. */
  startCrc(): void {
    this.crcValue = 0;
    this.crcFrom = this.pos;
  }

  /** The CRC-32 of what was consumed since `startCrc`. */
  crc(): number {
    this.crcConsumed();
    return this.crcValue;
  }

  private crcConsumed(): void {
    if (this.pos > this.crcFrom)
      this.crcValue = this.crc32(this.crcValue, this.chunk.subarray(this.crcFrom, this.pos));
    this.crcFrom = this.pos;
  }

  private hashConsumed(): void {
    if (this.hashing && this.pos > this.hashed) this.sha.update(this.chunk.subarray(this.hashed, this.pos));
    this.hashed = this.pos;
  }

  /** What has already arrived and is unconsumed (maybe empty), without awaiting. */
  buffered(): Uint8Array {
    return this.chunk.subarray(this.pos);
  }

  async byte(): Promise<number> {
    const a = await this.available();
    if (a.length === 0) throw new PackError('PACK_TRUNCATED', `pack ends at offset ${this.offset}`);
    const b = a[0];
    this.consume(1);
    return b;
  }

  async bytes(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const a = await this.available();
      if (a.length === 0) throw new PackError('PACK_TRUNCATED', `pack ends at offset ${this.offset}`);
      const k = Math.min(a.length, n - done);
      out.set(a.subarray(0, k), done);
      this.consume(k);
      done += k;
    }
    return out;
  }

  /** Finish the pack SHA-1: bytes consumed from now on (the trailer) are not hashed. */
  digest(): Uint8Array {
    this.hashConsumed();
    this.hashing = false;
    return this.sha.digest();
  }

  /**
   * Bytes already received past the current position, without waiting for more input: after
   * the trailer the sender may keep the connection open (waiting for our report), so reading
   * on until end-of-input could deadlock.
   */
  bufferedRest(): number {
    return this.chunk.length - this.pos;
  }

  /** Stop reading and let the source clean up. */
  async close(): Promise<void> {
    if (!this.ended && this.iterator.return) await this.iterator.return();
    this.ended = true;
  }
}
