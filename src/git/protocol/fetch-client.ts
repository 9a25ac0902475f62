/**
 * The client side of a fetch between two repositories of this server (a pull request's head
 * brought from a fork into the upstream): a protocol v2 fetch request for one commit, the pack
 * taken out of the answer's side band, and that pack framed as a push of one ref, so that the
 * receiving repository indexes and checks it exactly as it checks a push (fsck, connectivity).
 */
import { GitError } from '../errors';
import { delimPkt, encodePkt, flushPkt, PktLineReader, pktText } from '../pktline';
import type { Oid } from '../store';

/** Most `have` lines sent: the fork shares the upstream's history, so its branch tips suffice. */
export const MAX_HAVES = 256;

/** A v2 `fetch` of `want`, telling the other side what we have; asks for a thin pack. */
export function fetchRequest(want: Oid, haves: readonly Oid[]): Uint8Array[] {
  return [
    encodePkt('command=fetch\n'),
    delimPkt(),
    encodePkt('thin-pack\n'),
    encodePkt('ofs-delta\n'),
    encodePkt('no-progress\n'),
    encodePkt(`want ${want}\n`),
    ...haves.slice(0, MAX_HAVES).map((h) => encodePkt(`have ${h}\n`)),
    encodePkt('done\n'),
    flushPkt(),
  ];
}

/** The pack bytes of a v2 fetch answer (band 1 of its `packfile` section), as they arrive. */
export async function* packOfFetchResponse(answer: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = new PktLineReader(answer);
  let inPack = false;
  for (;;) {
    const p = await reader.read();
    if (p.type === 'eof' || p.type === 'flush' || p.type === 'response-end') {
      if (!inPack) throw new GitError('PROTOCOL_ERROR', 'the other repository sent no pack');
      return;
    }
    if (p.type !== 'data') continue;
    if (!inPack) {
      const line = pktText(p.data);
      if (line.startsWith('ERR ')) throw new GitError('PROTOCOL_ERROR', line.slice(4));
      if (line === 'packfile') inPack = true;
      continue;
    }
    const band = p.data[0];
    if (band === 1) yield p.data.subarray(1);
    else if (band === 3) throw new GitError('PROTOCOL_ERROR', pktText(p.data.subarray(1)));
  }
}

/** A receive-pack request updating `ref` from `oldOid` to `newOid` with `pack`. */
export async function* pushOfPack(
  ref: string,
  oldOid: Oid,
  newOid: Oid,
  pack: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield encodePkt(`${oldOid} ${newOid} ${ref}\0report-status\n`);
  yield flushPkt();
  yield* pack;
}

/** The outcome for `ref` in a report-status answer: null when it was updated, else git's reason. */
export async function refusalIn(report: AsyncIterable<Uint8Array>, ref: string): Promise<string | null> {
  const reader = new PktLineReader(report);
  let reason = `no report for ${ref}`;
  for (;;) {
    const p = await reader.read();
    if (p.type === 'eof') return reason;
    if (p.type !== 'data') continue;
    const line = pktText(p.data);
    if (line.startsWith('unpack ') && line !== 'unpack ok') reason = line;
    else if (line === `ok ${ref}`) return null;
    else if (line.startsWith(`ng ${ref} `)) reason = line.slice(`ng ${ref} `.length);
    else if (line.startsWith('ERR ')) reason = line.slice(4);
  }
}
