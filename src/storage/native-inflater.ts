/**
 * The runtime's zlib as the indexer's streaming inflater: one zlib stream object per indexer,
 * reset for each entry, fed the arriving pieces in place and inflating into the indexer's own
 * buffers. The engine's JavaScript inflater (pako) was the largest item of a push's CPU profile
 * (3.5 s of the large push's ~21 s); a reused native stream inflates a 200-byte object in ~5 us
 * against ~54 us, an 8 KB one in ~19 us against ~182 us (workerd, measured here).
 *
 * Node's zlib API inflates whole buffers, or streams through a `Transform` with a promise per
 * chunk, and neither says where a zlib stream ended within its input, which pack entries (zlib
 * streams back to back, no lengths) need. Its stream object's handle does: `writeSync` with
 * input and output ranges, the space left in each reported in `_writeState`, as the runtime's own
 * `inflateSync` calls it. That handle is internal (Node and workerd both have it, with different
 * ways to report errors), so it is checked once per isolate on a stream of known answer, and
 * without it, or if it answers wrong, the engine's inflater is used.
 */
import { constants, deflateSync, Inflate } from 'node:zlib';
import { PackError } from '../git/errors';
import { type InflaterFactory, ReusedInflater, StreamInflater } from '../git/pack/zlib';

/** The internal handle of a zlib stream object, as both runtimes have it. */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  reset(): void;
  close(): void;
  /** workerd: errors reported to a handler (by default one that destroys the stream object). */
  setErrorHandler?(handler: (errno: number, code: string, message: string) => void): void;
  /** Node: errors reported to this property. */
  onerror?: (message: string, errno: number) => void;
}

interface ZlibStreamInternals {
  _handle?: ZlibHandle | null;
  _writeState?: Uint32Array;
}

const OUT_CHUNK = 64 * 1024;
const EMPTY = new Uint8Array(0);

/** One native zlib stream: its handle, the space its last write left, the last error it reported. */
class NativeZlib {
  failure: string | null = null;

  private constructor(
    readonly handle: ZlibHandle,
    readonly state: Uint32Array,
  ) {
    const report = (message: string) => {
      this.failure = message || 'corrupt zlib stream';
    };
    if (typeof handle.setErrorHandler === 'function') handle.setErrorHandler((_errno, _code, m) => report(m));
    else handle.onerror = (m) => report(m);
  }

  /** A new stream, or null when the runtime's zlib stream object has no usable handle. */
  static open(): NativeZlib | null {
    const stream = new Inflate() as unknown as ZlibStreamInternals;
    const { _handle: handle, _writeState: state } = stream;
    if (!handle || !(state instanceof Uint32Array) || state.length < 2) return null;
    if (typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function') return null;
    return new NativeZlib(handle, state);
  }

  close(): void {
    try {
      this.handle.close();
    } catch {
      // Closed already (workerd closes a stream that reported an error): nothing to let go.
    }
  }
}

/** A reused native zlib stream with the engine inflater's interface (see `Inflater`). */
export class NativeInflater extends ReusedInflater {
  private readonly out = new Uint8Array(OUT_CHUNK);
  private fresh = true;

  private constructor(private zlib: NativeZlib) {
    super();
  }

  static open(): NativeInflater | null {
    const zlib = NativeZlib.open();
    return zlib === null ? null : new NativeInflater(zlib);
  }

  protected restart(): void {
    if (!this.fresh) this.zlib.handle.reset();
    this.fresh = false;
  }

  push(input: Uint8Array, start = 0): number {
    const target = this.target;
    const { handle, state } = this.zlib;
    let pos = start;
    while (!this.finished) {
      if (target !== null && this.total >= target.length) break; // full: the caller sees `total`
      const out = target ?? this.out;
      const outOff = target === null ? 0 : this.total;
      const outLen = out.length - outOff;
      const inLen = input.length - pos;
      handle.writeSync(
        constants.Z_NO_FLUSH,
        inLen > 0 ? input : EMPTY,
        inLen > 0 ? pos : 0,
        inLen,
        out,
        outOff,
        outLen,
      );
      if (this.zlib.failure !== null) throw this.failed(this.zlib.failure);
      const availOut = state[0];
      const availIn = state[1];
      const produced = outLen - availOut;
      pos += inLen - availIn;
      this.total += produced;
      if (target === null && produced > 0) this.onData(out.subarray(0, produced));
      if (availOut > 0) {
        // Room left and input left that zlib did not take: the stream has ended. Room left and
        // no input left: it ended at the end of the input, or needs more; the next push tells.
        if (availIn > 0) this.finished = true;
        break;
      }
    }
    return pos - start;
  }

  /** The error of a stream that failed; its zlib stream is replaced (neither runtime reuses one). */
  private failed(message: string): PackError {
    this.zlib.close();
    this.zlib = NativeZlib.open() ?? this.zlib;
    this.fresh = true;
    return new PackError('PACK_BAD_ZLIB', `corrupt zlib stream: ${message}`);
  }
}

/** Whether the runtime's handle inflates as the engine's inflater does; asked once per isolate. */
let usable: boolean | undefined;

/** A native inflater where the runtime's handle works, else null. */
export function openNativeInflater(): NativeInflater | null {
  usable ??= checkHandle();
  return usable ? NativeInflater.open() : null;
}

/** The indexer's inflater: the runtime's zlib where its handle works, else the engine's. */
export const nativeInflater: InflaterFactory = () => openNativeInflater() ?? new StreamInflater();

/**
 * A stream in two pieces with bytes after it, then a corrupt one, then a good one again: what
 * the indexer relies on (where a stream ends, failures reported, the inflater reusable).
 */
function checkHandle(): boolean {
  try {
    const inflater = NativeInflater.open();
    if (inflater === null) return false;
    const raw = new TextEncoder().encode('tree 0123456789abcdef\n'.repeat(200));
    const z = deflateSync(raw);
    const input = new Uint8Array(z.length + 3);
    input.set(z);
    const inflated = (): boolean => {
      const out = new Uint8Array(raw.length + 1);
      inflater.startInto(out);
      const half = z.length >> 1;
      const used = inflater.push(input.subarray(0, half)) + inflater.push(input, half);
      return (
        inflater.done &&
        used === z.length &&
        inflater.total === raw.length &&
        out.subarray(0, raw.length).every((b, i) => b === raw[i])
      );
    };
    if (!inflated()) return false;
    const bad = z.slice();
    bad[0] ^= 1; // an unknown method in the zlib header: refused by any zlib
    let refused = false;
    try {
      inflater.startInto(new Uint8Array(raw.length + 1)).push(bad);
    } catch (e) {
      refused = e instanceof PackError;
    }
    return refused && inflated();
  } catch {
    return false;
  }
}
