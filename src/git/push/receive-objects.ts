/**
 * The objects of a push: index the pack that follows the commands into a quarantined pack and
 * check it as `receive.fsckObjects=true` would (fsck of every new object, size caps, collisions),
 * collecting what its objects point to for the connectivity check and the cached pack.
 */
import { GitError, PackError } from '../errors';
import { checkCollisions } from '../fsck/collision';
import { FsckError } from '../fsck/findings';
import { PushFsck } from '../fsck/objects';
import { ObjectDatabase } from '../odb';
import { type IndexProgress, indexPack, type ObjectVisitor } from '../pack/index-pack';
import type { PktLineReader } from '../pktline';
import type { ProgressSink } from '../protocol/progress';
import type { SpillStore } from '../spill/spill-store';
import type { Oid, PackWriter } from '../store';
import { PushLinks } from './links';

export interface ReceiveLimits {
  /** Largest object (or delta) accepted, in inflated bytes (git: `transfer.maxObjectSize`-like). */
  readonly maxObjectBytes?: number;
  /** Largest pack accepted, in bytes on the wire (git: `receive.maxInputSize`). */
  readonly maxPushBytes?: number;
  /**
   * Most objects one pack may hold. Indexing keeps ~60 bytes per object until the push is done
   * (its row in the indexer's table), so this is what bounds a push's memory (git has no such
   * cap; its index-pack is not in 128 MB).
   */
  readonly maxPushObjects?: number;
  /**
   * Where the push's set of ids (its objects and what they point to) spills past `spillIds`
   * distinct ids in memory, given the quarantined pack's id; without it the set stays in memory.
   */
  readonly spill?: (packId: number) => SpillStore;
  /** Distinct ids the set keeps in memory before spilling (default `DEFAULT_SPILL_IDS`). */
  readonly spillIds?: number;
  /** fsck every new object (git: `receive.fsckObjects`); on by default. */
  readonly fsck?: boolean;
}

export interface ReceiveOptions extends ReceiveLimits {
  /** Told each object received and each delta resolved (a migration's progress on its page). */
  readonly onIndexProgress?: (p: IndexProgress) => void;
}

/** Index, verify and fsck the pack into `writer`; throws a GitError when the push must be refused. */
export async function receiveObjects(
  reader: PktLineReader,
  odb: ObjectDatabase,
  writer: PackWriter,
  options: ReceiveOptions,
  progress: ProgressSink,
): Promise<ReceivedObjects | null> {
  const input = nonEmpty(reader.rest());
  if (!(await input.hasData())) return null;
  const fsck = options.fsck === false ? null : new PushFsck();
  const spill = options.spill?.(writer.packId);
  const links = new PushLinks(spill && { store: spill, limit: options.spillIds });
  const stream =
    options.maxPushBytes === undefined ? input.stream : capped(input.stream, options.maxPushBytes);
  try {
    const indexed = await indexPushed(stream, writer, odb, options, progress, links, (oid, type, data) => {
      if (fsck?.visit(oid, type, data)) throw new FsckError(fsck.fatal);
      links.visit(type, data);
    });
    // The indexer stops at the trailer; bytes still in flight after it are junk, as git says.
    if (await input.hasMore()) throw new PackError('PACK_TRAILING_DATA', 'pack has junk at the end');
    const twins = await checkCollisions(links.packed(), odb.store, odb, writer);
    if (fsck !== null) {
      const pending = new ObjectDatabase(odb.store, { pending: writer, ...odb.codecs });
      const findings = await fsck.finish(pending, (oid) => writer.lookupPending(oid));
      if (findings.length > 0) throw new FsckError(findings);
    }
    return { links, twins, ...indexed };
  } catch (e) {
    links.dispose();
    throw e;
  } finally {
    // Accepted findings are shown whether the push goes on or not, before any error (as git).
    for (const line of fsck?.warningLines() ?? []) progress.line(line);
  }
}

/**
 * Index the pack, fsck and the links for the connectivity check seeing each object while it is
 * in hand. The pushed ids go into `links` as raw bytes, so the indexer's table they are read from
 * is garbage before fsck and the connectivity check run instead of held through them.
 */
async function indexPushed(
  stream: AsyncIterable<Uint8Array>,
  writer: PackWriter,
  odb: ObjectDatabase,
  options: ReceiveOptions,
  progress: ProgressSink,
  links: PushLinks,
  onObject: ObjectVisitor,
): Promise<{ distinct: boolean; externalBases: readonly Oid[] }> {
  const result = await indexPack(stream, writer, odb.store, {
    // The object database's codecs: the platform's inflaters, SHA-1 and CRC-32.
    ...odb.codecs,
    maxObjectSize: options.maxObjectBytes,
    maxObjectCount: options.maxPushObjects,
    onProgress: (p) => {
      options.onIndexProgress?.(p);
      if (p.phase === 'resolving') progress.counter('Resolving deltas', p.done, p.total);
    },
    onObject,
  });
  await links.addPack(result.oids);
  return { distinct: links.packedSize === result.objectCount, externalBases: result.externalBases };
}

/** What the pack of a push brought: its objects and what they point to. */
export interface ReceivedObjects {
  readonly links: PushLinks;
  /** Objects of the pack that were already stored. */
  readonly twins: number;
  /** Whether the pack holds each of its objects once. */
  readonly distinct: boolean;
  readonly externalBases: readonly Oid[];
}

/** Stops a pack past `max` bytes as soon as the byte arrives, not after storing it all. */
async function* capped(source: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw new GitError('PUSH_TOO_LARGE', `pack exceeds maximum allowed size (${max} bytes)`);
    yield chunk;
  }
}

/** Peek whether a byte stream has any data, without losing the first chunk. */
function nonEmpty(source: AsyncIterable<Uint8Array>): {
  hasData(): Promise<boolean>;
  /** Whether any byte follows what was read so far (reads to the end). */
  hasMore(): Promise<boolean>;
  stream: AsyncIterable<Uint8Array>;
} {
  const it = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array> | null = null;
  return {
    async hasData() {
      first = await it.next();
      return !first.done;
    },
    async hasMore() {
      let more = false;
      for (let next = await it.next(); !next.done; next = await it.next()) more ||= next.value.length > 0;
      return more;
    },
    stream: {
      async *[Symbol.asyncIterator]() {
        if (first && !first.done) yield first.value;
        for (;;) {
          const next = await it.next();
          if (next.done) return;
          yield next.value;
        }
      },
    },
  };
}
