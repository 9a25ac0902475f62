/**
 * Zip archives written entry by entry: each file is deflated (or stored when that is not
 * smaller) in memory one at a time, then its local header and data are emitted; the central
 * directory follows the last entry. Names are flagged UTF-8. No zip64: archives over 4 GiB or
 * 65535 entries are refused with an error in the stream.
 */
import { concatBytes } from '../bytes';
import { GitError } from '../errors';
import { crc32 } from '../pack/crc32';
import { type ArchiveSource, pullStream } from './source';

const enc = new TextEncoder();
const UTF8_FLAG = 0x0800;
const MAX_OFFSET = 0xffffffff;

interface CentralRecord {
  readonly name: Uint8Array;
  readonly method: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly offset: number;
  readonly externalAttrs: number;
}

function dosDateTime(seconds: number): { date: number; time: number } {
  const d = new Date(seconds * 1000);
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
  };
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart])
    .stream()
    .pipeThrough(
      new CompressionStream('deflate-raw') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function localHeader(r: CentralRecord, dt: { date: number; time: number }): Uint8Array {
  const b = new Uint8Array(30 + r.name.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(6, UTF8_FLAG, true);
  v.setUint16(8, r.method, true);
  v.setUint16(10, dt.time, true);
  v.setUint16(12, dt.date, true);
  v.setUint32(14, r.crc, true);
  v.setUint32(18, r.compressed, true);
  v.setUint32(22, r.size, true);
  v.setUint16(26, r.name.length, true);
  v.setUint16(28, 0, true);
  b.set(r.name, 30);
  return b;
}

function centralHeader(r: CentralRecord, dt: { date: number; time: number }): Uint8Array {
  const b = new Uint8Array(46 + r.name.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, (3 << 8) | 20, true); // made by Unix, so external attributes carry the mode
  v.setUint16(6, 20, true);
  v.setUint16(8, UTF8_FLAG, true);
  v.setUint16(10, r.method, true);
  v.setUint16(12, dt.time, true);
  v.setUint16(14, dt.date, true);
  v.setUint32(16, r.crc, true);
  v.setUint32(20, r.compressed, true);
  v.setUint32(24, r.size, true);
  v.setUint16(28, r.name.length, true);
  v.setUint32(38, r.externalAttrs >>> 0, true);
  v.setUint32(42, r.offset, true);
  b.set(r.name, 46);
  return b;
}

function endRecord(count: number, size: number, offset: number, comment: Uint8Array): Uint8Array {
  const b = new Uint8Array(22 + comment.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, count, true);
  v.setUint16(10, count, true);
  v.setUint32(12, size, true);
  v.setUint32(16, offset, true);
  v.setUint16(20, comment.length, true);
  b.set(comment, 22);
  return b;
}

export function zipStream(src: ArchiveSource): ReadableStream<Uint8Array> {
  const it = src.entries[Symbol.asyncIterator]();
  const records: CentralRecord[] = [];
  const dt = dosDateTime(src.mtime);
  let offset = 0;
  let done = false;
  const emit = async (path: string, mode: number, data: Uint8Array, isDir: boolean): Promise<Uint8Array> => {
    const name = enc.encode(path);
    let method = 0;
    let body = data;
    if (data.length > 0) {
      const deflated = await deflateRaw(data);
      if (deflated.length < data.length) {
        method = 8;
        body = deflated;
      }
    }
    const r: CentralRecord = {
      name,
      method,
      crc: crc32(data),
      compressed: body.length,
      size: data.length,
      offset,
      externalAttrs: ((mode << 16) | (isDir ? 0x10 : 0)) >>> 0,
    };
    const out = concatBytes([localHeader(r, dt), body]);
    if (offset + out.length > MAX_OFFSET || records.length >= 0xffff) {
      throw new GitError('ARCHIVE_TOO_LARGE', 'archive too large for zip without zip64; use .tar.gz');
    }
    records.push(r);
    offset += out.length;
    return out;
  };
  let started = false;
  return pullStream(async () => {
    if (done) return null;
    if (!started) {
      started = true;
      return emit(src.prefix, 0o40775, new Uint8Array(0), true);
    }
    const { done: end, value: e } = await it.next();
    if (end) {
      done = true;
      const central = concatBytes(records.map((r) => centralHeader(r, dt)));
      return concatBytes([
        central,
        endRecord(records.length, central.length, offset, enc.encode(src.commit)),
      ]);
    }
    const path = src.prefix + e.path;
    if (e.kind === 'dir' || e.kind === 'submodule') return emit(`${path}/`, 0o40775, new Uint8Array(0), true);
    const data = await src.readBlob(e.oid);
    if (e.kind === 'symlink') return emit(path, 0o120777, data, false);
    return emit(path, e.mode === '100755' ? 0o100775 : 0o100664, data, false);
  });
}
