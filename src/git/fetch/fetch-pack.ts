/**
 * Asking the remote for a pack: wants (the tips we lack), haves (the tips we already hold, so a
 * fetch into a filled repository brings only what is new) and `done` in one request, then the
 * pack bytes from side-band band 1 as they arrive; band 2 is the remote's progress, band 3 its
 * error.
 */
import { concatBytes } from '../bytes';
import { delimPkt, encodePkt, flushPkt, type Packet, PktLineReader, pktText } from '../pktline';
import { type RemoteRefs, v2Command, v2Headers } from './discover';
import { bodyChunks, expectGitResponse, FetchError, type GitTransport } from './transport';

/** Haves sent at most: enough for the tips of a mirror; the rest the remote may send again. */
const MAX_HAVES = 1000;

export interface PackRequest {
  readonly wants: readonly string[];
  readonly haves: readonly string[];
  readonly agent: string;
  /** The remote's progress lines (band 2), as sent (may hold `\r`). */
  readonly onRemoteProgress?: (text: string) => void;
}

/** The pack bytes the remote sends for `request` (an async iterable that fails on a remote error). */
export async function fetchPack(
  transport: GitTransport,
  remote: RemoteRefs,
  request: PackRequest,
): Promise<AsyncIterable<Uint8Array>> {
  const haves = request.haves.slice(0, MAX_HAVES);
  if (remote.version === 2) {
    // Arguments every v2 `fetch` takes: thin packs (bases we hold) and offset deltas.
    const features = ['thin-pack', 'ofs-delta'];
    const body = concatBytes([
      ...v2Command('fetch', remote.values, request.agent),
      delimPkt(),
      ...features.map((f) => encodePkt(`${f}\n`)),
      ...request.wants.map((w) => encodePkt(`want ${w}\n`)),
      ...haves.map((h) => encodePkt(`have ${h}\n`)),
      encodePkt('done\n'),
      flushPkt(),
    ]);
    const res = await transport('git-upload-pack', { body, headers: v2Headers() });
    const reader = packetReader(await expectGitResponse(res, 'application/x-git-upload-pack-result'));
    // Sections before the pack (e.g. shallow-info) end with a delim; ours asks for none of them.
    for (let p = await reader.read(); ; p = await reader.read()) {
      if (p.type === 'data' && pktText(p.data) === 'packfile') break;
      if (p.type === 'data' && pktText(p.data).startsWith('ERR '))
        throw remoteError(pktText(p.data).slice(4));
      if (p.type === 'eof' || p.type === 'flush') throw new FetchError('the source sent no pack');
    }
    return demux(reader, null, request.onRemoteProgress);
  }
  if (!remote.caps.has('side-band-64k')) throw new FetchError('the source does not offer side-band-64k');
  const caps = ['side-band-64k', 'ofs-delta', 'thin-pack'].filter((c) => remote.caps.has(c));
  if (remote.values.has('agent')) caps.push(`agent=${request.agent}`);
  const body = concatBytes([
    ...request.wants.map((w, i) => encodePkt(i === 0 ? `want ${w} ${caps.join(' ')}\n` : `want ${w}\n`)),
    flushPkt(),
    ...haves.map((h) => encodePkt(`have ${h}\n`)),
    encodePkt('done\n'),
  ]);
  const res = await transport('git-upload-pack', {
    body,
    headers: {
      'Content-Type': 'application/x-git-upload-pack-request',
      Accept: 'application/x-git-upload-pack-result',
    },
  });
  const reader = packetReader(await expectGitResponse(res, 'application/x-git-upload-pack-result'));
  // Without multi_ack the answer to `done` is one NAK, or the ACK of the first common have.
  let p = await reader.read();
  while (p.type === 'data' && /^(ACK |NAK)/.test(pktText(p.data))) p = await reader.read();
  if (p.type === 'data' && pktText(p.data).startsWith('ERR ')) throw remoteError(pktText(p.data).slice(4));
  return demux(reader, p, request.onRemoteProgress);
}

function packetReader(body: ReadableStream<Uint8Array>): PktLineReader {
  return new PktLineReader(bodyChunks(body));
}

function remoteError(text: string): FetchError {
  return new FetchError(`the source reported an error: ${text.trim().slice(0, 500)}`);
}

/** Band 1 of the side-band packets up to the flush that ends them. */
async function* demux(
  reader: PktLineReader,
  first: Packet | null,
  onProgress?: (text: string) => void,
): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder();
  for (let p = first ?? (await reader.read()); ; p = await reader.read()) {
    if (p.type === 'flush' || p.type === 'eof') return;
    if (p.type !== 'data' || p.data.length === 0) throw new FetchError('malformed side-band stream');
    const band = p.data[0];
    if (band === 1) yield p.data.subarray(1);
    else if (band === 2) onProgress?.(decoder.decode(p.data.subarray(1)));
    else if (band === 3) throw remoteError(decoder.decode(p.data.subarray(1)));
    else throw new FetchError(`malformed side-band stream (band ${band})`);
  }
}
