/**
 * Small inflated deltas kept from receiving a pack to resolving it, so that resolving need not
 * read and inflate them again. They are copied into 1 MiB blocks rather than kept as an array
 * each: most deltas are tens of bytes, and an array object and a map entry per delta cost
 * several times the bytes kept (a 411,000-object push held ~17 MiB of heap for 4 MiB of deltas).
 */

const BLOCK_BYTES = 1024 * 1024;

export class KeptDeltas {
  /** Null once every delta in the block was taken. */
  private readonly blocks: (Uint8Array | null)[] = [];
  /** Deltas reserved and not yet taken, per block. */
  private readonly waiting: number[] = [];
  /** Bytes used of the last block. */
  private used = 0;
  private total = 0;
  /** Blocks not let go yet, in bytes. */
  private held = 0;

  /** `budget`: bytes of deltas kept at most (blocks add at most one block's worth). */
  constructor(private readonly budget: number) {}

  /**
   * Room for `size` bytes: a position for `view`, or -1 once the budget is spent (or the delta is
   * larger than a block).
   */
  reserve(size: number): number {
    if (size > BLOCK_BYTES || this.total + size > this.budget) return -1;
    if (this.blocks.length === 0 || this.used + size > BLOCK_BYTES) {
      this.blocks.push(new Uint8Array(BLOCK_BYTES));
      this.held += BLOCK_BYTES;
      this.waiting.push(0);
      this.used = 0;
    }
    this.waiting[this.blocks.length - 1]++;
    const at = (this.blocks.length - 1) * BLOCK_BYTES + this.used;
    this.used += size;
    this.total += size;
    return at;
  }

  /** The `size` bytes reserved at `at`, to fill them. */
  view(at: number, size: number): Uint8Array {
    const block = this.blocks[Math.floor(at / BLOCK_BYTES)];
    if (block == null) throw new Error(`kept delta at ${at} was already taken`);
    const offset = at % BLOCK_BYTES;
    return block.subarray(offset, offset + size);
  }

  /**
   * The `size` bytes reserved at `at`, handed out once: a block whose deltas were all taken is
   * let go (resolving takes them roughly in pack order, so blocks go early in a big push).
   */
  take(at: number, size: number): Uint8Array {
    const data = this.view(at, size);
    const b = Math.floor(at / BLOCK_BYTES);
    if (--this.waiting[b] === 0 && b < this.blocks.length - 1) {
      this.blocks[b] = null;
      this.held -= BLOCK_BYTES;
    }
    return data;
  }

  /** Bytes of the blocks still held (what resolving's base cache leaves room for). */
  get heldBytes(): number {
    return this.held;
  }
}
