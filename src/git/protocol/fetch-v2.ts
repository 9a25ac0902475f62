/**
 * Protocol v2 `fetch`: acknowledgments while negotiating, then shallow-info and the packfile
 * section (always side-band-64k in v2).
 */
import { delimPkt, encodePkt, flushPkt } from '../pktline';
import type { Oid } from '../store';
import { type ObjectFilter, parseFilter } from '../walk/filter';
import { ProtocolError } from './errors';
import { okToGiveUp, sortHaves } from './negotiate';
import { listRefs } from './refs';
import type { GitRepository } from './repository';
import { oidArg } from './request';
import { checkWants, type FetchRequest, planPack, sidebandPack } from './send-pack';

export async function* fetchV2(args: readonly string[], repo: GitRepository): AsyncGenerator<Uint8Array> {
  const wants: Oid[] = [];
  const haves: Oid[] = [];
  const clientShallow: Oid[] = [];
  let done = false;
  let depth = 0;
  let filter: ObjectFilter | null = null;
  const flags = new Set<string>();
  for (const a of args) {
    if (a.startsWith('want ')) wants.push(oidArg(a, 'want'));
    else if (a.startsWith('have ')) haves.push(oidArg(a, 'have'));
    else if (a.startsWith('shallow ')) clientShallow.push(oidArg(a, 'shallow'));
    else if (a.startsWith('deepen ')) {
      depth = Number(a.slice('deepen '.length));
      if (!Number.isInteger(depth) || depth <= 0) throw new ProtocolError(`invalid deepen: '${a}'`);
    } else if (a.startsWith('filter ')) filter = parseFilter(a.slice('filter '.length));
    else if (a === 'done') done = true;
    else if (
      ['thin-pack', 'no-progress', 'include-tag', 'ofs-delta', 'sideband-all', 'wait-for-done'].includes(a)
    )
      flags.add(a);
    else if (a === 'deepen-relative') flags.add(a);
    else if (a.startsWith('deepen-since ') || a.startsWith('deepen-not '))
      throw new ProtocolError(`unsupported argument '${a}'`, 'UNSUPPORTED');
    else throw new ProtocolError(`unexpected line: '${a}'`);
  }
  if (wants.length === 0) throw new ProtocolError('fetch without any want');
  const { refs } = await listRefs(repo);
  await checkWants(repo.odb, wants, refs);
  const { common } = await sortHaves(repo.odb, haves);

  let sendPack = done;
  if (!done) {
    yield encodePkt('acknowledgments\n');
    if (common.length === 0) yield encodePkt('NAK\n');
    for (const c of common) yield encodePkt(`ACK ${c}\n`);
    if (okToGiveUp(common) && !flags.has('wait-for-done')) {
      yield encodePkt('ready\n');
      sendPack = true;
    }
    if (!sendPack) {
      yield flushPkt();
      return;
    }
    yield delimPkt();
  }

  const req: FetchRequest = {
    wants,
    haves: common,
    clientShallow,
    depth,
    deepenRelative: flags.has('deepen-relative'),
    filter,
    thinPack: flags.has('thin-pack'),
    ofsDelta: flags.has('ofs-delta'),
    includeTag: flags.has('include-tag'),
    noProgress: flags.has('no-progress'),
  };
  const plan = await planPack(repo, req, refs);
  if (depth > 0 || clientShallow.length > 0) {
    yield encodePkt('shallow-info\n');
    for (const s of plan.reachable.shallow) yield encodePkt(`shallow ${s}\n`);
    for (const s of plan.reachable.unshallow) yield encodePkt(`unshallow ${s}\n`);
    yield delimPkt();
  }
  yield encodePkt('packfile\n');
  yield* sidebandPack(repo, plan, req);
  yield flushPkt();
}
