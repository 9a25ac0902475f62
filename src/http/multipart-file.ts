/**
 * One file field of a `multipart/form-data` body, streamed: `request.formData()` would hold the
 * whole upload in memory, so this reads the body as it arrives, skips the parts before the field,
 * and hands the field's content on as a stream that ends at the next boundary. Memory stays at
 * one incoming chunk plus a boundary's length, whatever the file's size.
 */

import { drainReader } from './drain-body';

/** Most bytes one part's headers may take (browsers and Go's clients send ~150). */
const MAX_HEADER_BYTES = 16 * 1024;

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export interface FilePart {
  /** The client's file name (`filename=`), if it sent one. */
  readonly filename: string | null;
  readonly contentType: string | null;
  readonly body: ReadableStream<Uint8Array>;
}

/** The boundary of a `multipart/form-data` content type, or null for any other type. */
export function multipartBoundary(contentType: string | null | undefined): string | null {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

const te = new TextEncoder();

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  for (
    let i = hay.indexOf(first, from);
    i !== -1 && i + needle.length <= hay.length;
    i = hay.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** Reads the body through a small look-ahead buffer. */
class Scanner {
  // The body is read as if it began with CRLF, so that every delimiter is `\r\n--boundary`.
  private buf: Uint8Array = te.encode('\r\n');
  private ended = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    readonly delimiter: Uint8Array,
  ) {}

  /** Reads one more chunk into the buffer; false at the end of the body. */
  async more(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    this.buf = concat(this.buf, value);
    return true;
  }

  /**
   * Up to the next delimiter: `{ data, found }`, where `data` is bytes before it (possibly not all
   * of them yet when not found) and `found` says the delimiter was reached (and consumed).
   */
  async untilDelimiter(): Promise<{ data: Uint8Array; found: boolean }> {
    for (;;) {
      const at = indexOf(this.buf, this.delimiter);
      if (at !== -1) {
        const data = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + this.delimiter.length);
        return { data, found: true };
      }
      // The delimiter may begin in the last bytes: keep them for the next look.
      const keep = this.delimiter.length - 1;
      if (this.buf.length > keep) {
        const data = this.buf.subarray(0, this.buf.length - keep);
        this.buf = this.buf.slice(this.buf.length - keep);
        return { data, found: false };
      }
      if (!(await this.more())) throw new MultipartError('the multipart body ended inside a part');
    }
  }

  /** Exactly `n` bytes (fewer at the end of the body). */
  async take(n: number): Promise<Uint8Array> {
    while (this.buf.length < n && (await this.more()));
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }

  /** A part's header block, up to its blank line. */
  async headers(): Promise<string> {
    for (;;) {
      const at = indexOf(this.buf, te.encode('\r\n\r\n'));
      if (at !== -1) {
        const text = new TextDecoder().decode(this.buf.subarray(0, at));
        this.buf = this.buf.subarray(at + 4);
        return text;
      }
      if (this.buf.length > MAX_HEADER_BYTES) throw new MultipartError('a part header is too long');
      if (!(await this.more())) throw new MultipartError('the multipart body ended inside a part header');
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }

  /** What follows the part (the closing boundary, other fields): read and dropped, up to a bound. */
  drain(): Promise<void> {
    return drainReader(this.reader);
  }
}

interface PartHeaders {
  name: string | null;
  filename: string | null;
  contentType: string | null;
}

function parseHeaders(block: string): PartHeaders {
  const out: PartHeaders = { name: null, filename: null, contentType: null };
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') out.contentType = value;
    if (key !== 'content-disposition') continue;
    out.name = param(value, 'name');
    const star = /;\s*filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(value);
    out.filename = star ? safeDecode(star[1]) : param(value, 'filename');
  }
  return out;
}

function param(value: string, key: string): string | null {
  const m = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(value);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? null);
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * The part named `field` of the body, its content streamed; null when the body has no such part.
 * Parts before it are read and dropped; what follows it is left unread (the caller drains it).
 */
export async function findFilePart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  field: string,
): Promise<FilePart | null> {
  const reader = body.getReader();
  const scan = new Scanner(reader, te.encode(`\r\n--${boundary}`));
  try {
    // The preamble, up to the first delimiter.
    while (!(await scan.untilDelimiter()).found);
    for (;;) {
      const after = new TextDecoder().decode(await scan.take(2));
      if (after === '--' || after === '') return null;
      const headers = parseHeaders(after + (await scan.headers()));
      if (headers.name === field) {
        return { filename: headers.filename, contentType: headers.contentType, body: partStream(scan) };
      }
      while (!(await scan.untilDelimiter()).found);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    throw e;
  }
}

function partStream(scan: Scanner): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const { data, found } = await scan.untilDelimiter();
        if (data.length > 0) controller.enqueue(data);
        if (found) {
          controller.close();
          await scan.drain();
          return;
        }
        if (data.length > 0) return;
      }
    },
    cancel: () => scan.cancel(),
  });
}
