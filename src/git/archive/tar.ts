/**
 * POSIX tar (ustar with pax extended headers for long or non-ASCII names and link targets),
 * written entry by entry. Gzip is applied by the caller through CompressionStream.
 */
import { concatBytes } from '../bytes';
import { type ArchiveSource, pullStream } from './source';

const BLOCK = 512;
const enc = new TextEncoder();

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function isAsciiFits(s: string, max: number): boolean {
  return s.length <= max && /^[\x20-\x7e]*$/.test(s);
}

/** One pax record: "<len> <key>=<value>\n" where len counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = enc.encode(body).length;
  let len = bodyLen + String(bodyLen).length;
  if (String(len).length !== String(len - 1).length) len = bodyLen + String(len).length;
  return `${len}${body}`;
}

interface Header {
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly mtime: number;
  readonly type: string;
  readonly linkname?: string;
}

function headerBlock(h: Header): Uint8Array {
  const b = new Uint8Array(BLOCK);
  const put = (s: string, at: number, max: number): void => {
    b.set(enc.encode(s).subarray(0, max), at);
  };
  put(h.name, 0, 100);
  put(octal(h.mode, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(h.size, 12), 124, 12);
  put(octal(h.mtime, 12), 136, 12);
  put('        ', 148, 8);
  put(h.type, 156, 1);
  if (h.linkname) put(h.linkname, 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put('root', 265, 32);
  put('root', 297, 32);
  let sum = 0;
  for (const x of b) sum += x;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return b;
}

function padded(data: Uint8Array): Uint8Array {
  const rem = data.length % BLOCK;
  if (rem === 0) return data;
  const out = new Uint8Array(data.length + BLOCK - rem);
  out.set(data);
  return out;
}

/** Header blocks for an entry, preceded by a pax header when ustar cannot hold its names. */
function entryHeaders(h: Header): Uint8Array {
  const records: string[] = [];
  if (!isAsciiFits(h.name, 100)) records.push(paxRecord('path', h.name));
  if (h.linkname !== undefined && !isAsciiFits(h.linkname, 100))
    records.push(paxRecord('linkpath', h.linkname));
  const main = headerBlock({
    ...h,
    name: ascii(h.name),
    linkname: h.linkname === undefined ? undefined : ascii(h.linkname),
  });
  if (records.length === 0) return main;
  const pax = enc.encode(records.join(''));
  const paxHeader = headerBlock({
    name: 'pax_header',
    mode: 0o644,
    size: pax.length,
    mtime: h.mtime,
    type: 'x',
  });
  return concatBytes([paxHeader, padded(pax), main]);
}

/** A ustar-safe fallback name (the pax record carries the real one). */
function ascii(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '_').slice(-100);
}

export function tarStream(src: ArchiveSource): ReadableStream<Uint8Array> {
  const it = src.entries[Symbol.asyncIterator]();
  let state: 'start' | 'entries' | 'done' = 'start';
  return pullStream(async () => {
    if (state === 'start') {
      state = 'entries';
      // git archive records the commit in a pax global header.
      const rec = enc.encode(paxRecord('comment', src.commit));
      const head = headerBlock({
        name: 'pax_global_header',
        mode: 0o666,
        size: rec.length,
        mtime: src.mtime,
        type: 'g',
      });
      const dir = entryHeaders({ name: src.prefix, mode: 0o775, size: 0, mtime: src.mtime, type: '5' });
      return concatBytes([head, padded(rec), dir]);
    }
    if (state === 'done') return null;
    const { done, value: e } = await it.next();
    if (done) {
      state = 'done';
      return new Uint8Array(BLOCK * 2);
    }
    const name = src.prefix + e.path;
    if (e.kind === 'dir' || e.kind === 'submodule') {
      return entryHeaders({ name: `${name}/`, mode: 0o775, size: 0, mtime: src.mtime, type: '5' });
    }
    const data = await src.readBlob(e.oid);
    if (e.kind === 'symlink') {
      return entryHeaders({
        name,
        mode: 0o777,
        size: 0,
        mtime: src.mtime,
        type: '2',
        linkname: new TextDecoder().decode(data),
      });
    }
    const mode = e.mode === '100755' ? 0o775 : 0o664;
    return concatBytes([
      entryHeaders({ name, mode, size: data.length, mtime: src.mtime, type: '0' }),
      padded(data),
    ]);
  });
}

export function tarGzStream(src: ArchiveSource): ReadableStream<Uint8Array> {
  return tarStream(src).pipeThrough(
    new CompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
  );
}
