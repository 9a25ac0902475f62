/**
 * Stateless-RPC upload-pack of protocol v0/v1 (what Smart HTTP uses): each request repeats the
 * wants and carries a batch of haves; we answer with ACK/NAK and, once done, the pack.
 */
import { encodePkt, flushPkt, PktLineReader, SIDEBAND_64K_PAYLOAD, SIDEBAND_PAYLOAD } from '../pktline';
import type { Oid } from '../store';
import { type ObjectFilter, parseFilter } from '../walk/filter';
import { Capabilities } from './capabilities';
import { ProtocolError } from './errors';
import { okToGiveUp, sortHaves } from './negotiate';
import { listRefs } from './refs';
import type { GitRepository } from './repository';
import { oidArg, readLine } from './request';
import { checkWants, type FetchRequest, plainPack, planPack, sidebandPack } from './send-pack';

export async function* uploadPackV0(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
): AsyncGenerator<Uint8Array> {
  const reader = new PktLineReader(body);
  const wants: Oid[] = [];
  const clientShallow: Oid[] = [];
  let depth = 0;
  let deepenRelative = false;
  let filter: ObjectFilter | null = null;
  let caps = new Capabilities([]);
  // Wants, shallows and deepen up to the first flush.
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'flush') break;
    if (line.kind === 'eof') {
      if (wants.length === 0) return; // an empty request: nothing to do
      throw new ProtocolError('unexpected end of request');
    }
    if (line.kind !== 'line') throw new ProtocolError('unexpected delim packet');
    let text = line.text;
    if (wants.length === 0 && text.startsWith('want ')) {
      // v0 puts the capabilities after the first want's oid, separated by spaces.
      const parts = text.split(' ');
      caps = new Capabilities(parts.slice(2));
      text = `${parts[0]} ${parts[1]}`;
    }
    if (text.startsWith('want ')) wants.push(oidArg(text, 'want'));
    else if (text.startsWith('shallow ')) clientShallow.push(oidArg(text, 'shallow'));
    else if (text.startsWith('deepen ')) {
      depth = Number(text.slice('deepen '.length));
      if (!Number.isInteger(depth) || depth <= 0) throw new ProtocolError(`invalid deepen: '${text}'`);
    } else if (text === 'deepen-relative') deepenRelative = true;
    else if (text.startsWith('filter ')) filter = parseFilter(text.slice('filter '.length));
    else throw new ProtocolError(`unexpected line: '${text}'`);
  }
  if (wants.length === 0) return;
  const { refs } = await listRefs(repo);
  await checkWants(repo.odb, wants, refs);

  const haves: Oid[] = [];
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
    if (line.text.startsWith('have ')) haves.push(oidArg(line.text, 'have'));
    else throw new ProtocolError(`unexpected line: '${line.text}'`);
  }

  const req: FetchRequest = {
    wants,
    haves: [],
    clientShallow,
    depth,
    deepenRelative: deepenRelative || caps.has('deepen-relative'),
    filter,
    thinPack: caps.has('thin-pack'),
    ofsDelta: caps.has('ofs-delta'),
    includeTag: caps.has('include-tag'),
    noProgress: caps.has('no-progress'),
  };
  const { common } = await sortHaves(repo.odb, haves);
  const fullReq: FetchRequest = { ...req, haves: common };
  const multiAck = caps.has('multi_ack_detailed') ? 2 : caps.has('multi_ack') ? 1 : 0;
  const ready = okToGiveUp(common);
  const willSend = done || (negotiating && ready && multiAck === 2 && caps.has('no-done'));
  // The shallow list comes first in every response of a deepening fetch.
  const plan = depth > 0 || willSend ? await planPack(repo, fullReq, refs) : null;
  if (depth > 0 && plan) {
    for (const s of plan.reachable.shallow) yield encodePkt(`shallow ${s}\n`);
    for (const s of plan.reachable.unshallow) yield encodePkt(`unshallow ${s}\n`);
    yield flushPkt();
  }
  if (!negotiating) return;

  const last = common[common.length - 1];
  let sendPack = done;
  if (!done) {
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

  const finalPlan = plan ?? (await planPack(repo, fullReq, refs));
  if (caps.has('side-band-64k') || caps.has('side-band')) {
    const max = caps.has('side-band-64k') ? SIDEBAND_64K_PAYLOAD : SIDEBAND_PAYLOAD;
    yield* sidebandPack(repo, finalPlan, fullReq, max);
    yield flushPkt();
  } else {
    yield* plainPack(repo, finalPlan, fullReq);
  }
}
