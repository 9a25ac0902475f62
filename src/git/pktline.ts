/**
 * pkt-line framing (gitprotocol-common): a 4-hex-digit length that counts itself, then data.
 * The special lengths 0000 (flush), 0001 (delim) and 0002 (response-end) carry no data.
 */
import { GitError } from './errors';
import { byteHex } from './oid';

/** Largest pkt-line length git accepts: 65520 bytes including the 4-byte header. */
export const MAX_PKT_LENGTH = 65520;
export const MAX_PKT_DATA = MAX_PKT_LENGTH - 4;
/** Payload of one side-band-64k packet (pkt header + band byte leave 65515). */
export const SIDEBAND_64K_PAYLOAD = 65515;
/** Payload of one (old) side-band packet, whose packets are at most 1000 bytes. */
export const SIDEBAND_PAYLOAD = 995;

export type Packet =
  | { readonly type: 'data'; readonly data: Uint8Array }
  | { readonly type: 'flush' }
  | { readonly type: 'delim' }
  | { readonly type: 'response-end' }
  | { readonly type: 'eof' };

export class PktLineError extends GitError {
  constructor(message: string) {
    super('PKTLINE_INVALID', message);
    this.name = 'PktLineError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The four hex digits of a packet length (which counts the four digits themselves). */
function lengthHex(n: number): string {
  return byteHex(n >> 8) + byteHex(n);
}

/** One data packet. Strings are UTF-8 encoded as given (callers add the trailing LF). */
export function encodePkt(data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  if (bytes.length > MAX_PKT_DATA) throw new PktLineError(`pkt-line too long: ${bytes.length}`);
  const out = new Uint8Array(bytes.length + 4);
  writeLength(out);
  out.set(bytes, 4);
  return out;
}

/**
 * A packet's length in its first four bytes. The digits are ASCII, copied without a second
 * TextEncoder call per packet (that was half the cost of advertising a thousand refs).
 */
function writeLength(packet: Uint8Array): void {
  const header = lengthHex(packet.length);
  for (let i = 0; i < 4; i++) packet[i] = header.charCodeAt(i);
}

/**
 * Many text packets at once, in one encoding call: a ref advertisement is a line per ref, and a
 * TextEncoder call per line was most of the cost of advertising a thousand refs.
 */
export function encodePktLines(lines: readonly string[]): Uint8Array {
  let text = '';
  for (const line of lines) {
    // Lengths count UTF-8 bytes; ref names are nearly always ASCII, where that is the length.
    const n = (isAscii(line) ? line.length : encoder.encode(line).length) + 4;
    if (n > MAX_PKT_LENGTH) throw new PktLineError(`pkt-line too long: ${n - 4}`);
    text += lengthHex(n) + line;
  }
  return encoder.encode(text);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function flushPkt(): Uint8Array {
  return encoder.encode('0000');
}
export function delimPkt(): Uint8Array {
  return encoder.encode('0001');
}
export function responseEndPkt(): Uint8Array {
  return encoder.encode('0002');
}

export type SidebandBand = 1 | 2 | 3;

/**
 * Wrap `data` into side-band packets on `band`, split so that no packet exceeds
 * `maxPayload` data bytes (SIDEBAND_64K_PAYLOAD or SIDEBAND_PAYLOAD).
 */
export function encodeSideband(
  band: SidebandBand,
  data: Uint8Array | string,
  maxPayload: number = SIDEBAND_64K_PAYLOAD,
): Uint8Array[] {
  if (maxPayload + 1 > MAX_PKT_DATA) throw new PktLineError(`side-band payload too long: ${maxPayload}`);
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const packets: Uint8Array[] = [];
  for (let pos = 0; pos < bytes.length || (pos === 0 && bytes.length === 0); pos += maxPayload) {
    const part = bytes.subarray(pos, Math.min(bytes.length, pos + maxPayload));
    // Written in place: a payload array and then the packet copied every byte of a pack twice.
    const packet = new Uint8Array(part.length + 5);
    writeLength(packet);
    packet[4] = band;
    packet.set(part, 5);
    packets.push(packet);
    if (bytes.length === 0) break;
  }
  return packets;
}

/** Decode a data packet as text, without its trailing LF. */
export function pktText(data: Uint8Array): string {
  const end = data.length > 0 && data[data.length - 1] === 0x0a ? data.length - 1 : data.length;
  return decoder.decode(data.subarray(0, end));
}

/**
 * Reads pkt-lines from a byte stream cut at arbitrary chunk boundaries. After the last packet of
 * interest, `rest()` yields the raw bytes that follow (e.g. the pack after push commands).
 */
export interface PktLineLimits {
  /** Most packets `read()` returns (flushes and delims included). */
  readonly maxPackets?: number;
  /** Most bytes of packets `read()` consumes, headers included (not what `rest()` yields). */
  readonly maxBytes?: number;
}

export class PktLineReader {
  private readonly source: AsyncIterator<Uint8Array>;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private done = false;
  private packets = 0;
  private consumed = 0;

  /** `limits` bound what a peer can make us read (and hold) before anything is answered. */
  constructor(
    input: AsyncIterable<Uint8Array>,
    private readonly limits: PktLineLimits = {},
  ) {
    this.source = input[Symbol.asyncIterator]();
  }

  /** Count a packet of `len` bytes against the limits, before its data is read. */
  private count(len: number): void {
    const { maxPackets, maxBytes } = this.limits;
    this.packets++;
    this.consumed += len;
    if (maxPackets !== undefined && this.packets > maxPackets) {
      throw new PktLineError(`too many pkt-lines in one request (more than ${maxPackets})`);
    }
    if (maxBytes !== undefined && this.consumed > maxBytes) {
      throw new PktLineError(`request was larger than our maximum size (${maxBytes} bytes)`);
    }
  }

  /** Pull chunks until at least `n` bytes are buffered; false if the stream ends first. */
  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n && !this.done) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        break;
      }
      if (next.value.length === 0) continue;
      this.chunks.push(next.value);
      this.buffered += next.value.length;
    }
    return this.buffered >= n;
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    let out: Uint8Array;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const c = this.chunks[0];
        const k = Math.min(c.length, n - at);
        out.set(c.subarray(0, k), at);
        at += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return out;
  }

  async read(): Promise<Packet> {
    if (!(await this.fill(4))) {
      if (this.buffered === 0) return { type: 'eof' };
      throw new PktLineError('truncated pkt-line header');
    }
    const header = decoder.decode(this.take(4));
    if (!/^[0-9a-f]{4}$/i.test(header)) throw new PktLineError(`bad pkt-line header "${header}"`);
    const len = Number.parseInt(header, 16);
    this.count(Math.max(len, 4));
    if (len === 0) return { type: 'flush' };
    if (len === 1) return { type: 'delim' };
    if (len === 2) return { type: 'response-end' };
    if (len < 4) throw new PktLineError(`bad pkt-line length ${len}`);
    if (!(await this.fill(len - 4))) throw new PktLineError('truncated pkt-line');
    // Copy so the packet does not alias a chunk the caller may reuse.
    return { type: 'data', data: this.take(len - 4).slice() };
  }

  /** The raw bytes after the last packet read. Use only once, after the last `read()`. */
  async *rest(): AsyncIterable<Uint8Array> {
    while (this.chunks.length > 0) {
      const c = this.chunks.shift() as Uint8Array;
      this.buffered -= c.length;
      yield c;
    }
    if (this.done) return;
    for (;;) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        return;
      }
      if (next.value.length > 0) yield next.value;
    }
  }
}
