/**
 * Stateless-RPC upload-pack of protocol v0/v1 (what Smart HTTP uses): each request repeats the
 * wants and carries a batch of haves; we answer with ACK/NAK and, once done, the pack.
 */
import { isGitError } from '../errors';
import { encodePkt, encodeSideband, flushPkt, SIDEBAND_64K_PAYLOAD, SIDEBAND_PAYLOAD } from '../pktline';
import type { Oid } from '../store';
import { planDeepen } from '../walk/deepen';
import { peel } from '../walk/read';
import { Capabilities } from './capabilities';
import { ProtocolError } from './errors';
import { FetchArgs } from './fetch-args';
import { okToGiveUp, sortHaves } from './negotiate';
import { admitFetch, checkWants, type FetchRequest, plainPack, planPack, sidebandPack } from './pack-sender';
import { listRefs } from './refs';
import type { GitRepository } from './repository';
import { readLine, requestReader } from './request';

export async function* uploadPackV0(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
): AsyncGenerator<Uint8Array> {
  const reader = requestReader(body);
  const fetch = new FetchArgs();
  let caps = new Capabilities([]);
  // Wants, shallows and deepen up to the first flush.
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'flush') break;
    if (line.kind === 'eof') {
      if (fetch.wants.length === 0) return; // an empty request: nothing to do
      throw new ProtocolError('unexpected end of request');
    }
    if (line.kind !== 'line') throw new ProtocolError('unexpected delim packet');
    let text = line.text;
    if (fetch.wants.length === 0 && text.startsWith('want ')) {
      // v0 puts the capabilities after the first want's oid, separated by spaces.
      const parts = text.split(' ');
      caps = new Capabilities(parts.slice(2));
      text = `${parts[0]} ${parts[1]}`;
    }
    if (!fetch.take(text)) throw new ProtocolError(`unexpected line: '${text}'`);
  }
  if (fetch.wants.length === 0) return;
  if (caps.has('deepen-relative')) fetch.deepenRelative = true;
  fetch.validate();
  const { refs } = await listRefs(repo);
  const wants = fetch.wants;
  await checkWants(repo.odb, wants, refs);
  const deepenBy = fetch.revListBound(refs);

  // The shallow list comes first in every response of a deepening fetch; it needs only the
  // shallow plan, not the whole object walk, so negotiation rounds stay cheap.
  if (fetch.deepening) {
    const starts: Oid[] = [];
    for (const w of wants) {
      const p = await peel(repo.odb, w);
      if (p.type === 'commit') starts.push(p.oid);
    }
    const plan = await planDeepen(repo.odb, starts, {
      depth: fetch.depth,
      deepenRelative: fetch.deepenRelative,
      deepenBy,
      clientShallow: fetch.clientShallow,
    });
    for (const s of plan?.shallow ?? []) yield encodePkt(`shallow ${s}\n`);
    for (const s of plan?.unshallow ?? []) yield encodePkt(`unshallow ${s}\n`);
    yield flushPkt();
  }

  let done = false;
  // A deepening client first sends only its wants, to learn the shallow list.
  let negotiating = false;
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'eof') break;
    negotiating = true;
    if (line.kind !== 'line') continue;
    if (line.text === 'done') {
      done = true;
      break;
    }
    if (!fetch.takeHave(line.text)) throw new ProtocolError(`unexpected line: '${line.text}'`);
  }
  if (!negotiating) return;

  const { common } = await sortHaves(repo.odb, fetch.haves);
  const req: FetchRequest = {
    wants,
    haves: common,
    clientShallow: fetch.clientShallow,
    depth: fetch.depth,
    deepenRelative: fetch.deepenRelative,
    deepenBy,
    filter: fetch.filter,
    thinPack: caps.has('thin-pack'),
    ofsDelta: caps.has('ofs-delta'),
    includeTag: caps.has('include-tag'),
    noProgress: caps.has('no-progress'),
  };
  const multiAck = caps.has('multi_ack_detailed') ? 2 : caps.has('multi_ack') ? 1 : 0;
  const last = common[common.length - 1];
  let sendPack = done;
  if (!done) {
    const ready = multiAck > 0 && (await okToGiveUp(repo.odb, wants, common));
    for (const c of common) {
      if (multiAck === 2) yield encodePkt(`ACK ${c} ${ready ? 'ready' : 'common'}\n`);
      else if (multiAck === 1) yield encodePkt(`ACK ${c} continue\n`);
    }
    if (multiAck === 0 && common.length > 0) yield encodePkt(`ACK ${common[0]}\n`);
    yield encodePkt('NAK\n');
    if (ready && caps.has('no-done') && multiAck === 2) {
      yield encodePkt(`ACK ${last}\n`);
      sendPack = true;
    }
    if (!sendPack) return;
  } else if (common.length > 0 && multiAck > 0) {
    yield encodePkt(`ACK ${last}\n`);
  } else if (common.length === 0) {
    yield encodePkt('NAK\n');
  }
  // done with common haves and no multi_ack: git sends nothing more before the pack.

  const sideband = caps.has('side-band-64k') || caps.has('side-band');
  const max = caps.has('side-band-64k') ? SIDEBAND_64K_PAYLOAD : SIDEBAND_PAYLOAD;
  // Held until the pack is sent: the walk's tables live as long as the pack is written from them.
  let release: () => void;
  try {
    release = await admitFetch(repo, req);
  } catch (e) {
    // Past the NAK a side-band client reads bands: an ERR packet would be taken for band 69
    // ("protocol error: bad band #69"). A refusal (a busy repository) goes on band 3, as C git's
    // upload-pack sends its own errors there; git prints it as "remote: <message>".
    if (!sideband || !isGitError(e)) throw e;
    yield* encodeSideband(3, `${e.message}\n`, max);
    return;
  }
  try {
    const plan = await planPack(repo, req, refs);
    if (sideband) {
      yield* sidebandPack(repo, plan, req, max);
      yield flushPkt();
    } else {
      yield* plainPack(repo, plan, req);
    }
  } finally {
    release();
  }
}
