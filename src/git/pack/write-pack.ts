import { concatBytes } from '../bytes';
import { type PackTypeNumber, typeToPackType } from '../object-header';
import type { ObjectDatabase } from '../odb';
import { oidToBytes } from '../oid';
import { Pacer } from '../pacer';
import { createSha1, type Sha1, type Sha1Factory } from '../sha1';
import type { Oid, StoredEntryRef } from '../store';
import { toReadableStream } from '../stream';
import { encodeEntryHeader, encodeOfsDelta } from './entry-header';
import { lookUpRows, WriteEntries } from './write-entries';
import { sortedIdColumn, type WriteIds } from './write-ids';

export interface WriteProgress {
  readonly phase: 'writing';
  readonly done: number;
  readonly total: number;
  /** Of the objects written, how many went as stored deltas (git's "reused"). */
  readonly deltas: number;
}

export interface WritePackOptions {
  /** The client understands ofs-deltas (capability ofs-delta). */
  readonly ofsDelta: boolean;
  /** Objects the client already has: stored deltas against them may be sent as is (thin pack). */
  readonly clientHas?: (oid: Oid) => boolean;
  readonly onProgress?: (p: WriteProgress) => void;
  /**
   * Entries of another pack to go first, copied as they are (a cached pack): their offsets stay
   * valid because the header before them has the same size. `clientHas` names their objects as
   * bases for the deltas written after them.
   */
  readonly prefix?: { readonly count: number; readonly entries: AsyncIterable<Uint8Array> };
  /**
   * The writer may empty `oids` (an id list) as it copies them: a caller that has no further use
   * for the list lets it go before the writer's table is built rather than beside it.
   */
  readonly consumeIds?: boolean;
}

/** Output is gathered into chunks of about this size so small objects don't become tiny chunks. */
const OUT_CHUNK = 64 * 1024;

/** Hashes everything written and groups small pieces into larger chunks. */
export class PackOutput {
  private readonly sha: Sha1;

  constructor(newSha1: Sha1Factory = createSha1) {
    this.sha = newSha1();
  }
  private parts: Uint8Array[] = [];
  private pending = 0;
  offset = 0;

  /** Add bytes; returns a chunk to emit when enough has gathered. */
  push(bytes: Uint8Array): Uint8Array | null {
    this.sha.update(bytes);
    this.offset += bytes.length;
    this.parts.push(bytes);
    this.pending += bytes.length;
    return this.pending >= OUT_CHUNK ? this.flush() : null;
  }

  flush(): Uint8Array | null {
    if (this.pending === 0) return null;
    const out = this.parts.length === 1 ? this.parts[0] : concatBytes(this.parts, this.pending);
    this.parts = [];
    this.pending = 0;
    return out;
  }

  /** The trailing SHA-1 of everything pushed. */
  trailer(): Uint8Array {
    return this.sha.digest();
  }
}

export function packHeader(count: number): Uint8Array {
  const h = new Uint8Array(12);
  h.set([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2]);
  new DataView(h.buffer).setUint32(8, count);
  return h;
}

/**
 * Stream a v2 pack of exactly `oids` (duplicates ignored). Stored bytes are reused: whole objects
 * are copied with a new header, stored deltas are copied when their base is also in the pack
 * (ofs-delta if it was written earlier and the client allows it, else ref-delta) or when the
 * client has the base (thin pack); any other delta is inflated and stored whole.
 */
export function writePack(
  oids: WriteIds,
  odb: ObjectDatabase,
  opts: WritePackOptions,
): ReadableStream<Uint8Array> {
  return toReadableStream(generatePack(oids, odb, opts));
}

async function* generatePack(
  oids: WriteIds,
  odb: ObjectDatabase,
  opts: WritePackOptions,
): AsyncGenerator<Uint8Array> {
  // Each object once, as 20 bytes in id order: no string per object is kept while writing.
  const table = new WriteEntries(sortedIdColumn(oids, opts.consumeIds === true));
  await lookUpRows(table, odb);
  // Pack order is base-first for ofs-deltas, so keeping stored order keeps bases first.
  const order = table.storedOrder();
  /** The base row of the entry being written (-1: whole, or a base outside the pack). */
  let baseRow = -1;
  // encodeEntry asks only of the entry's own base, whose row the table found when it was built:
  // no search of the id column per delta.
  const bases: DeltaBases = {
    offset: () => {
      const at = baseRow < 0 ? -1 : table.writtenAt(baseRow);
      return at < 0 ? undefined : at;
    },
    inPack: () => baseRow >= 0,
  };

  const out = new PackOutput(odb.createSha1);
  out.push(packHeader(table.length + (opts.prefix?.count ?? 0)));
  if (opts.prefix !== undefined) {
    for await (const bytes of opts.prefix.entries) {
      const chunk = out.push(bytes);
      if (chunk !== null) yield chunk;
    }
  }
  let done = 0;
  let deltas = 0;
  const pacer = new Pacer();
  let lastBytes = 0;
  for (const row of order) {
    // Written chunks go into a stream that mostly takes them at once: no turn of the event loop
    // otherwise until the client reads more slowly than the pack is written.
    const pause = pacer.tick(lastBytes);
    if (pause) await pause;
    const e = table.entry(row);
    baseRow = table.baseRow(row);
    const offset = out.offset;
    const { parts, delta } = await encodeEntry(e, offset, odb, opts, bases);
    table.markWritten(row, offset);
    if (delta) deltas++;
    lastBytes = 0;
    for (const p of parts) {
      lastBytes += p.length;
      const chunk = out.push(p);
      if (chunk !== null) yield chunk;
    }
    opts.onProgress?.({ phase: 'writing', done: ++done, total: table.length, deltas });
  }
  const rest = out.flush();
  if (rest !== null) yield rest;
  yield out.trailer();
}

/**
 * zlib level for objects sent whole because their stored delta's base is not sent (shallow and
 * filtered fetches). They are compressed for this response only: on the medium benchmark's
 * depth-1 clone, level 1 instead of 6 took 13% off the clone for a pack 0.3% larger.
 */
const RESEND_LEVEL = 1;

/** What a delta's base is to the pack being written. */
export interface DeltaBases {
  /** Where the base was written in this pack, if it was. */
  offset(oid: Oid): number | undefined;
  /** Whether the base is one of the pack's objects (written yet or not). */
  inPack(oid: Oid): boolean;
}

/**
 * The bytes of stored entry `e` written at `offset`: copied as stored (a delta against a base the
 * pack or the client has), or inflated and compressed whole when its base will not be there.
 */
export async function encodeEntry(
  e: StoredEntryRef,
  offset: number,
  odb: ObjectDatabase,
  opts: Pick<WritePackOptions, 'ofsDelta' | 'clientHas'>,
  bases: DeltaBases,
): Promise<{ parts: Uint8Array[]; delta: boolean }> {
  if (e.baseOid === null) {
    const stored = await odb.readStored(e);
    return { parts: [encodeEntryHeader(stored.packType, stored.storedSize), stored.zlib], delta: false };
  }
  const baseOffset = bases.offset(e.baseOid);
  const reusable =
    baseOffset !== undefined || bases.inPack(e.baseOid) || (opts.clientHas?.(e.baseOid) ?? false);
  if (reusable) {
    const stored = await odb.readStored(e);
    if (baseOffset !== undefined && opts.ofsDelta) {
      return {
        parts: [encodeEntryHeader(6, stored.storedSize), encodeOfsDelta(offset - baseOffset), stored.zlib],
        delta: true,
      };
    }
    return {
      parts: [encodeEntryHeader(7, stored.storedSize), oidToBytes(e.baseOid), stored.zlib],
      delta: true,
    };
  }
  const data = await odb.readEntryData(e);
  return {
    parts: [
      encodeEntryHeader(typeToPackType(e.type) as PackTypeNumber, data.length),
      odb.deflate(data, RESEND_LEVEL),
    ],
    delta: false,
  };
}
