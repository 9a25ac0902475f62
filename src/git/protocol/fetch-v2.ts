/**
 * Protocol v2 `fetch`: acknowledgments while negotiating, then shallow-info, wanted-refs and
 * the packfile section (always side-band-64k in v2).
 */
import { delimPkt, encodePkt, flushPkt } from '../pktline';
import type { Oid } from '../store';
import { ProtocolError } from './errors';
import { FetchArgs } from './fetch-args';
import { okToGiveUp, sortHaves } from './negotiate';
import { admitFetch, checkWants, type FetchRequest, planPack, sidebandPack } from './pack-sender';
import { listRefs } from './refs';
import type { GitRepository } from './repository';

const FLAGS = ['thin-pack', 'no-progress', 'include-tag', 'ofs-delta', 'sideband-all', 'wait-for-done'];

export async function* fetchV2(
  args: AsyncIterable<string> | Iterable<string>,
  repo: GitRepository,
): AsyncGenerator<Uint8Array> {
  const fetch = new FetchArgs();
  let done = false;
  const flags = new Set<string>();
  for await (const a of args) {
    if (fetch.take(a) || fetch.takeHave(a) || fetch.takeWantRef(a)) continue;
    if (a === 'done') done = true;
    else if (FLAGS.includes(a)) flags.add(a);
    else throw new ProtocolError(`unexpected line: '${a}'`);
  }
  fetch.validate();
  if (fetch.wants.length === 0 && fetch.wantRefs.length === 0)
    throw new ProtocolError('fetch without any want');
  const { refs } = await listRefs(repo);
  // want-ref names an exact ref; its current value is what the client gets (wanted-refs).
  const wantedRefs: { name: string; oid: Oid }[] = [];
  for (const name of fetch.wantRefs) {
    const ref = refs.find((r) => r.name === name);
    if (!ref) throw new ProtocolError(`unknown ref ${name}`, 'NOT_OUR_REF');
    wantedRefs.push({ name, oid: ref.oid });
  }
  const wants = [...fetch.wants, ...wantedRefs.map((r) => r.oid)];
  await checkWants(repo.odb, wants, refs);
  const { common } = await sortHaves(repo.odb, fetch.haves);

  if (!done) {
    yield encodePkt('acknowledgments\n');
    if (common.length === 0) yield encodePkt('NAK\n');
    for (const c of common) yield encodePkt(`ACK ${c}\n`);
    const ready = !flags.has('wait-for-done') && (await okToGiveUp(repo.odb, wants, common));
    if (!ready) {
      yield flushPkt();
      return;
    }
    yield encodePkt('ready\n');
    yield delimPkt();
  }

  const req: FetchRequest = {
    wants,
    haves: common,
    clientShallow: fetch.clientShallow,
    depth: fetch.depth,
    deepenRelative: fetch.deepenRelative,
    deepenBy: fetch.revListBound(refs),
    filter: fetch.filter,
    thinPack: flags.has('thin-pack'),
    ofsDelta: flags.has('ofs-delta'),
    includeTag: flags.has('include-tag'),
    noProgress: flags.has('no-progress'),
  };
  // Held until the pack is sent: the walk's tables live as long as the pack is written from them.
  const release = await admitFetch(repo, req);
  try {
    const plan = await planPack(repo, req, refs);
    // git sends the section whenever the client is or becomes shallow, even with no lines.
    if (fetch.deepening || fetch.clientShallow.length > 0) {
      yield encodePkt('shallow-info\n');
      for (const s of plan.reachable.shallow) yield encodePkt(`shallow ${s}\n`);
      for (const s of plan.reachable.unshallow) yield encodePkt(`unshallow ${s}\n`);
      yield delimPkt();
    }
    if (wantedRefs.length > 0) {
      yield encodePkt('wanted-refs\n');
      for (const r of wantedRefs) yield encodePkt(`${r.oid} ${r.name}\n`);
      yield delimPkt();
    }
    yield encodePkt('packfile\n');
    yield* sidebandPack(repo, plan, req);
    yield flushPkt();
  } finally {
    release();
  }
}
