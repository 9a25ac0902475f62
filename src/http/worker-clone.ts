/**
 * Whole clones streamed by the Worker from the R2 copies of the cached pack's stored packs (see
 * src/storage/pack-copies.ts), so that a burst of clones spreads over Worker isolates instead of
 * queueing in the repository's object. The Worker reads the protocol v2 request itself and asks
 * the object one small question (which copies answer exactly these wants); the object reserves
 * nothing for it. Anything else (negotiation, shallow, filters, a layer not copied yet, a copy
 * missing in R2, a request too big to read here) goes to the object as before, with the bytes
 * read so far put back in front of the rest of the body.
 */
import { createHash } from 'node:crypto';
import { concatBytes } from '../git/bytes';
import { cloneAnswerV2, plainCloneRequest, type StoredPackSource } from '../git/cached-pack/stream';
import type { Sha1 } from '../git/sha1';
import { fromReadableStream } from '../git/stream';
import type { ClonePack, RepoClient } from '../services/repo-client';
import { readBody } from '../storage/body-stream';
import { inflateUpload } from '../storage/inflate-body';
import { throughNative } from '../storage/native-stream';

/**
 * Most of a request read here: a clone's wants are ~50 bytes a ref, so this holds ~20,000 refs;
 * a bigger request is the object's (it reads it as it streams).
 */
const PEEK_BYTES = 1024 * 1024;

export type CloneRoute =
  | { readonly kind: 'worker'; readonly answer: ReadableStream<Uint8Array> }
  | { readonly kind: 'object'; readonly body: ReadableStream<Uint8Array> };

/** Answer a protocol v2 upload-pack request from R2 when it is a whole clone the copies serve. */
export async function routeClone(
  bucket: R2Bucket,
  repo: RepoClient,
  body: ReadableStream<Uint8Array>,
  gzip: boolean,
): Promise<CloneRoute> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    size += next.value.byteLength;
    if (size > PEEK_BYTES) return { kind: 'object', body: replay(chunks, reader) };
    // A plain request that is no fetch (ls-refs) goes on at once, unread.
    if (!gzip && chunks.length === 1 && size >= FETCH_COMMAND_LF.byteLength && !startsWithFetch(next.value))
      return { kind: 'object', body: replay(chunks, reader) };
  }
  const raw = concatBytes(chunks);
  const toObject: CloneRoute = { kind: 'object', body: replay([raw], null) };
  const text = gzip ? await inflate(raw) : raw;
  if (text === null || !startsWithFetch(text)) return toObject;
  const req = await plainCloneRequest(once(text));
  if (req === null) return toObject;
  const packs = await repo.clonePlan(req.wants);
  if (packs === null || !(await allCopied(bucket, packs))) return toObject;
  const sources = packs.map((p) => r2Source(bucket, p));
  return { kind: 'worker', answer: throughNative(cloneAnswerV2(sources, req, nodeSha1)) };
}

/** The bytes read so far, then the rest of the body (for the object, which reads it as it streams). */
function replay(
  read: readonly Uint8Array[],
  rest: ReadableStreamDefaultReader<Uint8Array> | null,
): ReadableStream<Uint8Array> {
  const queue = [...read];
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const head = queue.shift();
      if (head !== undefined) return controller.enqueue(head);
      const next = rest === null ? { done: true as const } : await rest.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await rest?.cancel(reason);
    },
  });
}

/** A protocol v2 request's first pkt-line when it asks for a fetch (git sends it without a newline). */
const FETCH_COMMAND = new TextEncoder().encode('0011command=fetch');
const FETCH_COMMAND_LF = new TextEncoder().encode('0012command=fetch\n');

function startsWithFetch(bytes: Uint8Array): boolean {
  const starts = (line: Uint8Array) =>
    bytes.byteLength >= line.byteLength && line.every((b, i) => bytes[i] === b);
  return starts(FETCH_COMMAND) || starts(FETCH_COMMAND_LF);
}

/**
 * The gzip request inflated, or null when it is bad, is not a fetch (told from its first bytes,
 * so an ls-refs or a gzip bomb costs the Worker one chunk, not PEEK_BYTES), or inflates past
 * PEEK_BYTES: the object reports or streams those.
 */
async function inflate(raw: Uint8Array): Promise<Uint8Array | null> {
  try {
    // Fed to the inflater a piece at a time as the object does: a whole chunk of a gzip bomb
    // inflates at once (160 KB of one was ~130 MB held), a piece to at most ~1 MB.
    const stream = inflateUpload(new Blob([raw.slice()]).stream(), PEEK_BYTES, 'too large to read here');
    const out: Uint8Array[] = [];
    let size = 0;
    let checked = false;
    for await (const chunk of fromReadableStream(stream)) {
      size += chunk.byteLength;
      out.push(chunk);
      if (!checked && size >= FETCH_COMMAND_LF.byteLength) {
        if (!startsWithFetch(concatBytes(out))) return null;
        checked = true;
      }
    }
    return concatBytes(out);
  } catch {
    return null;
  }
}

/** Whether R2 holds every copy at its size (a copy missing would fail the clone halfway). */
async function allCopied(bucket: R2Bucket, packs: readonly ClonePack[]): Promise<boolean> {
  const heads = await Promise.all(packs.map((p) => bucket.head(p.key)));
  return heads.every((h, i) => h !== null && h.size === packs[i].size);
}

function r2Source(bucket: R2Bucket, pack: ClonePack): StoredPackSource {
  return {
    size: pack.size,
    objectCount: pack.objectCount,
    async *bytes(from, to) {
      const object = await bucket.get(pack.key, { range: { offset: from, length: to - from } });
      if (object === null) throw new Error(`the stored pack ${pack.key} is gone`);
      // In pieces of 64-256 KiB, the next read while this one is written (each is copied into
      // side-band packets first): as the body came, in small pieces, each was a packet and a
      // write of its own, and R2's wait did not overlap the client's.
      yield* readBody(object.body, { ahead: true });
    },
  };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function nodeSha1(): Sha1 {
  const h = createHash('sha1');
  return {
    update: (bytes) => {
      h.update(bytes);
    },
    digest: () => new Uint8Array(h.digest()),
  };
}
