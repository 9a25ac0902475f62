import {
  deflate,
  Z_BUF_ERROR,
  Z_NO_FLUSH,
  Z_OK,
  Z_STREAM_END,
  ZStream,
  zlibInflate,
  zlibInflateInit,
} from 'pako';
import { PackError } from '../errors';

/** Inflates one zlib stream of known size at once (the default `inflate` of the object database). */
export type InflateFn = (zlib: Uint8Array, size: number) => Uint8Array;

const OUT_CHUNK = 64 * 1024;
/** For inflaters whose caller only wants the byte count. */
const ignore = (_chunk: Uint8Array): void => undefined;

/**
 * A streaming inflater that stops exactly at the end of one zlib stream, so the caller learns
 * how many input bytes the stream used (pack entries are concatenated zlib streams with no
 * length prefix). Output is handed to the `onData` of `start` in chunks that are only valid
 * during the call. One instance is reused across streams (`start` resets it) because setting
 * up zlib state and buffers per object dominates the cost of small objects.
 */
export interface Inflater {
  /** Begin a new zlib stream, its output handed to `onData`. */
  start(onData: (chunk: Uint8Array) => void): this;
  /**
   * Begin a new zlib stream inflated straight into `target` (no callback, no copy): for an object
   * of known size, a target one byte longer shows a stream that inflates past it (`total` exceeds
   * the size), and inflating stops once the target is full.
   */
  startInto(target: Uint8Array<ArrayBuffer>): this;
  /**
   * Feed `input[start..]`; returns how many bytes were consumed. After the stream ends
   * (`done`), the unconsumed rest belongs to whatever follows the stream. A stream whose end
   * is the end of `input` may only be `done` once more input is offered (none of it consumed).
   */
  push(input: Uint8Array, start?: number): number;
  /**
   * No input follows what was pushed: whether the stream is done. One byte past the input is
   * offered, which a stream that has ended does not take (see `push`).
   */
  endInput(): boolean;
  readonly done: boolean;
  /** Bytes inflated from the current stream so far. */
  readonly total: number;
}

/** Makes the inflater an indexer reuses for every entry of a pack (the platform may supply a native one). */
export type InflaterFactory = () => Inflater;

/** A byte past the input, for `endInput`. */
const PAST_END = new Uint8Array(1);

/** What every inflater keeps of the stream in hand; `restart` readies the zlib state for a new one. */
export abstract class ReusedInflater implements Inflater {
  protected onData: (chunk: Uint8Array) => void = ignore;
  /** Where `startInto` has the output go, or null when it goes to `onData`. */
  protected target: Uint8Array<ArrayBuffer> | null = null;
  protected finished = false;
  total = 0;

  protected abstract restart(): void;
  abstract push(input: Uint8Array, start?: number): number;

  start(onData: (chunk: Uint8Array) => void): this {
    this.restart();
    this.onData = onData;
    this.target = null;
    this.finished = false;
    this.total = 0;
    return this;
  }

  startInto(target: Uint8Array<ArrayBuffer>): this {
    this.start(ignore);
    this.target = target;
    return this;
  }

  endInput(): boolean {
    if (!this.finished) this.push(PAST_END);
    return this.finished;
  }

  get done(): boolean {
    return this.finished;
  }
}

/** The engine's own inflater (pako, in JavaScript). */
export class StreamInflater extends ReusedInflater {
  private readonly strm = new ZStream();
  private readonly out: Uint8Array<ArrayBuffer>;
  private used = false;

  /** The state right after a reset, kept to reset without pako's per-reset allocations. */
  private readonly fresh: InflateStateTables;

  constructor(onData: (chunk: Uint8Array) => void = ignore, outChunk = OUT_CHUNK) {
    super();
    this.out = new Uint8Array(outChunk);
    this.onData = onData;
    const rc = zlibInflateInit(this.strm);
    if (rc !== Z_OK) throw new PackError('PACK_BAD_ZLIB', `inflateInit failed (${rc})`);
    const st = this.state();
    this.fresh = { mode: st.mode, lendyn: st.lendyn, distdyn: st.distdyn };
  }

  private state(): InflateState {
    return this.strm.state as InflateState;
  }

  protected restart(): void {
    if (this.used) this.reset();
  }

  /**
   * pako's inflateReset, except that the dynamic code tables are reused: pako allocates 5.8 KB of
   * new tables on every reset, which for a pack of 60,000 objects was a tenth of the indexing
   * time plus the garbage collection after it. Like zlib's own reset, which keeps its tables:
   * every dynamic block rebuilds the tables before reading them.
   */
  private reset(): void {
    const st = this.state();
    const strm = this.strm;
    st.wsize = 0;
    st.whave = 0;
    st.wnext = 0;
    strm.total_in = 0;
    strm.total_out = 0;
    st.total = 0;
    strm.msg = '';
    if (st.wrap) strm.adler = st.wrap & 1;
    st.mode = this.fresh.mode;
    st.last = 0;
    st.havedict = 0;
    st.flags = -1;
    st.dmax = 32768;
    st.head = null;
    st.hold = 0;
    st.bits = 0;
    st.lencode = st.lendyn = this.fresh.lendyn;
    st.distcode = st.distdyn = this.fresh.distdyn;
    st.sane = 1;
    st.back = -1;
  }

  push(input: Uint8Array, start = 0): number {
    this.used = true;
    const s = this.strm;
    s.input = input;
    s.next_in = start;
    s.avail_in = input.length - start;
    const target = this.target;
    while (!this.finished) {
      if (target !== null && this.total >= target.length) break; // full: the caller sees `total`
      s.output = target ?? this.out;
      s.next_out = target === null ? 0 : this.total;
      s.avail_out = s.output.length - s.next_out;
      const rc = zlibInflate(s, Z_NO_FLUSH);
      if (target !== null) this.total = s.next_out;
      else if (s.next_out > 0) {
        this.total += s.next_out;
        this.onData(this.out.subarray(0, s.next_out));
      }
      if (rc === Z_STREAM_END) {
        this.finished = true;
        break;
      }
      if (rc === Z_BUF_ERROR || (rc === Z_OK && s.avail_in === 0 && s.avail_out > 0)) break;
      if (rc !== Z_OK) throw new PackError('PACK_BAD_ZLIB', `corrupt zlib stream: ${s.msg || rc}`);
    }
    const consumed = s.next_in - start;
    // Drop the reference so the input chunk can be collected.
    s.input = EMPTY;
    return consumed;
  }
}

const EMPTY = new Uint8Array(0);

interface InflateStateTables {
  mode: number;
  lendyn: Int32Array;
  distdyn: Int32Array;
}

/** The fields of pako's (untyped) inflate state that a reset sets. */
interface InflateState extends InflateStateTables {
  wsize: number;
  whave: number;
  wnext: number;
  total: number;
  wrap: number;
  last: number;
  havedict: number;
  flags: number;
  dmax: number;
  head: unknown;
  hold: number;
  bits: number;
  lencode: Int32Array;
  distcode: Int32Array;
  sane: number;
  back: number;
}

/**
 * Inflate a complete zlib stream that must produce exactly `size` bytes. Pass a reusable
 * `inflater` when inflating many objects.
 */
export function inflateExact(zlib: Uint8Array, size: number, inflater = new StreamInflater()): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0;
  let overflow = false;
  inflater.start((chunk) => {
    if (pos + chunk.length > size) {
      overflow = true;
      return;
    }
    out.set(chunk, pos);
    pos += chunk.length;
  });
  inflater.push(zlib);
  if (!inflater.done) throw new PackError('PACK_BAD_ZLIB', 'zlib stream ends early');
  if (overflow || pos !== size) {
    throw new PackError('PACK_SIZE_MISMATCH', `inflated ${inflater.total} bytes, expected ${size}`);
  }
  return out;
}

/** An `InflateFn` opened at its first call: many callers (an object database per request) never inflate. */
export function lazyInflate(open: () => InflateFn): InflateFn {
  let inflate: InflateFn | undefined;
  return (zlib, size) => {
    inflate ??= open();
    return inflate(zlib, size);
  };
}

/** An `InflateFn` that reuses one inflater, made at its first call. */
export function createInflate(): InflateFn {
  return lazyInflate(() => {
    const inflater = new StreamInflater();
    return (zlib, size) => inflateExact(zlib, size, inflater);
  });
}

/** Compress `data` whole as one zlib stream at `level` (the platform may supply a native one). */
export type DeflateFn = (data: Uint8Array, level: number) => Uint8Array;

export function deflateBytes(data: Uint8Array, level = 6): Uint8Array {
  return deflate(data, { level });
}
