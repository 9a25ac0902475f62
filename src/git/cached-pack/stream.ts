/**
 * A whole clone answered from the cached pack's stored packs without the repository's object:
 * the request read by whoever streams the answer (the Worker, from copies of the packs), and the
 * protocol v2 answer written as the object writes it (see `sidebandPack`): the same pack bytes,
 * the same progress lines. Platform-free: the packs' bytes and the hasher are given.
 */
import { isGitError } from '../errors';
import { packHeader } from '../pack/write-pack';
import { encodePkt, encodeSideband, flushPkt } from '../pktline';
import { FetchArgs } from '../protocol/fetch-args';
import { readLine, requestReader } from '../protocol/request';
import type { Sha1 } from '../sha1';
import type { Oid } from '../store';

const PACK_HEADER = 12;
const PACK_TRAILER = 20;

/** A protocol v2 fetch that only a whole clone sends: its wants, and whether it wants progress. */
export interface PlainCloneRequest {
  readonly wants: Oid[];
  readonly noProgress: boolean;
}

/** Flags a plain clone may carry; `sideband-all` frames the answer otherwise and is left out. */
const CLONE_FLAGS = new Set(['thin-pack', 'no-progress', 'include-tag', 'ofs-delta', 'done']);

/**
 * The wants of a protocol v2 `fetch` that asks for a whole clone: `done` with no haves, no
 * `want-ref`, shallow, deepen or filter lines, `ofs-delta` (the stored packs hold ofs-deltas), one
 * command. Anything else, a malformed request included, is null: the repository's object answers
 * it (and reports what is wrong), as it answers every request today.
 */
export async function plainCloneRequest(body: AsyncIterable<Uint8Array>): Promise<PlainCloneRequest | null> {
  try {
    return await readPlainClone(body);
  } catch (e) {
    if (isGitError(e)) return null;
    throw e;
  }
}

async function readPlainClone(body: AsyncIterable<Uint8Array>): Promise<PlainCloneRequest | null> {
  const reader = requestReader(body);
  const first = await readLine(reader);
  if (first.kind !== 'line' || first.text !== 'command=fetch') return null;
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'delim') break;
    if (line.kind !== 'line') return null;
    if (line.text.startsWith('object-format=') && line.text !== 'object-format=sha1') return null;
  }
  const args = new FetchArgs();
  const flags = new Set<string>();
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'flush') break;
    if (line.kind !== 'line') return null;
    if (args.take(line.text)) continue;
    if (!CLONE_FLAGS.has(line.text)) return null;
    flags.add(line.text);
  }
  if ((await readLine(reader)).kind !== 'eof') return null;
  const plain =
    flags.has('done') &&
    flags.has('ofs-delta') &&
    args.wants.length > 0 &&
    args.clientShallow.length === 0 &&
    args.depth === 0 &&
    !args.deepenRelative &&
    args.deepenSince === undefined &&
    args.deepenNot.length === 0 &&
    args.filter === null;
  return plain ? { wants: [...args.wants], noProgress: flags.has('no-progress') } : null;
}

/** One stored pack of the cached pack, read from wherever its copy is. */
export interface StoredPackSource {
  readonly size: number;
  readonly objectCount: number;
  /**
   * Its bytes from offset `from` up to `to` (exclusive), in order. A chunk may be overwritten
   * once the next is asked for (they are copied into side-band packets before that).
   */
  bytes(from: number, to: number): AsyncIterable<Uint8Array>;
}

/**
 * The cached pack as one pack: a single stored pack is its file as it is; several are their
 * entries (each stored pack's header and trailer left out) under a new header with the total
 * count, and a trailer hashed over what was sent, as the object writes them.
 */
export async function* cachedPackBytes(
  packs: readonly StoredPackSource[],
  createSha1: () => Sha1,
): AsyncGenerator<Uint8Array> {
  if (packs.length === 1) {
    yield* packs[0].bytes(0, packs[0].size);
    return;
  }
  const sha = createSha1();
  const header = packHeader(packs.reduce((n, p) => n + p.objectCount, 0));
  sha.update(header);
  yield header;
  for (const p of packs) {
    for await (const chunk of p.bytes(PACK_HEADER, p.size - PACK_TRAILER)) {
      sha.update(chunk);
      yield chunk;
    }
  }
  yield sha.digest();
}

/**
 * The protocol v2 answer to a plain clone: the packfile section with the pack on band 1 and the
 * object's progress lines on band 2. A read that fails once the pack has started can only be told
 * on band 3, which aborts the clone.
 */
export async function* cloneAnswerV2(
  packs: readonly StoredPackSource[],
  req: Pick<PlainCloneRequest, 'noProgress'>,
  createSha1: () => Sha1,
): AsyncGenerator<Uint8Array> {
  const total = packs.reduce((n, p) => n + p.objectCount, 0);
  const progress = !req.noProgress;
  yield encodePkt('packfile\n');
  if (progress) {
    yield* encodeSideband(2, `Enumerating objects: ${total}, done.\n`);
    yield* encodeSideband(2, `Counting objects: 100% (${total}/${total}), done.\n`);
  }
  try {
    for await (const chunk of cachedPackBytes(packs, createSha1)) yield* encodeSideband(1, chunk);
  } catch (e) {
    yield* encodeSideband(3, `upload-pack: ${e instanceof Error ? e.message : String(e)}\n`);
    return;
  }
  if (progress) {
    yield* encodeSideband(2, `Total ${total} (delta 0), reused 0 (delta 0), pack-reused ${total}\n`);
  }
  yield flushPkt();
}
