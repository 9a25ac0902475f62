/**
 * A pull request from a fork keeps its head commits in the upstream itself, as
 * `refs/pull/{n}/head`: the upstream's object fetches them from the fork's object with the
 * engine's own fetch (a v2 request naming the upstream's branch and tag tips as haves, so the
 * fork sends a thin pack of what is new), and receives that pack as a push of the one ref (the
 * same indexing, fsck and connectivity checks). Memory is the push's: the pack streams through.
 */
import { fetchRequest, packOfFetchResponse, pushOfPack, refusalIn } from '../git/protocol/fetch-client';
import type { Oid } from '../git/store';
import { fromReadableStream, toReadableStream } from '../git/stream';

export type FetchRefResult = { ok: true } | { ok: false; reason: string };

/** The receiving repository, as the fetch needs it. */
export interface FetchTarget {
  /** Branch and tag tips: what the source may assume we have. */
  tips(): Oid[];
  has(oid: Oid): boolean;
  /** The ref's current value, or null. */
  current(): Oid | null;
  /** Move the ref to a stored object; null when done, else why not. */
  setRef(oid: Oid): Promise<string | null>;
  /** Receive-pack over a request built here. */
  receive(body: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array>;
}

/** Where the commits come from: the source's upload-pack (protocol v2). */
export type UploadPack = (body: ReadableStream<Uint8Array>) => Promise<ReadableStream<Uint8Array>>;

export async function fetchRefFrom(
  target: FetchTarget,
  upload: UploadPack,
  oid: Oid,
  ref: string,
): Promise<FetchRefResult> {
  const current = target.current();
  if (current === oid) return { ok: true };
  // Already here (pushed to the upstream too, or fetched for another pull request).
  if (target.has(oid)) {
    const reason = await target.setRef(oid);
    return reason === null ? { ok: true } : { ok: false, reason };
  }
  const request = toReadableStream(
    (async function* () {
      yield* fetchRequest(oid, [...new Set(target.tips())]);
    })(),
  );
  const answer = await upload(request);
  const pack = packOfFetchResponse(fromReadableStream(answer));
  const report = target.receive(pushOfPack(ref, current ?? '0'.repeat(40), oid, pack));
  const reason = await refusalIn(fromReadableStream(report), ref);
  return reason === null ? { ok: true } : { ok: false, reason };
}
