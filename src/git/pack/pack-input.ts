import { PackError } from '../errors';
import { createSha1, type Sha1, type Sha1Factory } from '../sha1';
import { crc32Update } from './crc32';

/**
 * Reads a pack as it arrives, in whatever chunks the transport delivers. Every consumed byte
 * goes into the pack SHA-1 (until `stopHashing`) and, while an entry is open, into its CRC-32.
 * Raw chunks are handed to `onChunk` as they arrive so the store sees the pack unchanged.
 */
export class PackInput {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private ended = false;
  private hashing = true;
  private readonly sha: Sha1;
  /** Offset in the pack of the next unconsumed byte. */
  offset = 0;
  crc = 0;

  constructor(
    input: AsyncIterable<Uint8Array>,
    private readonly onChunk: (chunk: Uint8Array) => Promise<void>,
    newSha1: Sha1Factory = createSha1,
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
      this.chunk = next.value;
      this.pos = 0;
    }
    return this.chunk.subarray(this.pos);
  }

  /** Mark `n` bytes of the current chunk consumed. */
  consume(n: number): void {
    const end = this.pos + n;
    if (this.hashing) this.sha.update(this.chunk.subarray(this.pos, end));
    this.crc = crc32Update(this.crc, this.chunk, this.pos, end);
    this.pos = end;
    this.offset += n;
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
