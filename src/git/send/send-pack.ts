/**
 * The engine's own `git push --mirror` to another git server (push mirrors): the remote's
 * receive-pack advertisement says what it holds; every branch and tag that differs is updated
 * (forced), created or deleted, and the pack carries only the objects the remote lacks, written
 * from the stored bytes as a clone's pack is (stored deltas kept, thin against what the remote
 * has, streamed: memory is the set of ids to send). `report-status` says what the remote did.
 */
import { expectGitResponse, type GitTransport } from '../fetch/transport';
import type { ObjectDatabase } from '../odb';
import { writePack } from '../pack/write-pack';
import { encodePkt, flushPkt } from '../pktline';
import type { Oid, RefCommand, RefStore } from '../store';
import { ZERO_OID } from '../store';
import { reachableObjects, walkAnswer } from '../walk/reachable';
import { SendError } from './errors';
import { discoverReceiveRefs, REMOTE } from './remote-refs';
import { type RefStatus, readReportStatus } from './report-status';

export { SendError } from './errors';

export interface SendOptions {
  readonly agent: string;
}

export interface SendResult {
  /** The commands sent (empty when the remote was already equal). */
  readonly commands: readonly RefCommand[];
  /** Objects in the pack sent (0 with no pack or an empty one). */
  readonly objects: number;
  readonly statuses: readonly RefStatus[];
}

/** Pushes every branch and tag of the repository to the remote, deleting the remote's others. */
export async function mirrorPush(
  repo: { readonly odb: ObjectDatabase; readonly refs: RefStore },
  transport: GitTransport,
  options: SendOptions,
): Promise<SendResult> {
  const remote = await discoverReceiveRefs(transport);
  const theirs = new Map(remote.refs.map((r) => [r.name, r.oid]));
  const ours = new Map((await repo.refs.list(['refs/heads/', 'refs/tags/'])).map((r) => [r.name, r.oid]));
  const commands: RefCommand[] = [];
  for (const [name, oid] of ours) {
    const old = theirs.get(name) ?? ZERO_OID;
    if (old !== oid) commands.push({ name, oldOid: old, newOid: oid });
  }
  for (const [name, oid] of theirs) {
    if (!ours.has(name)) commands.push({ name, oldOid: oid, newOid: ZERO_OID });
  }
  if (commands.length === 0) return { commands, objects: 0, statuses: [] };
  if (commands.some((c) => c.newOid === ZERO_OID) && !remote.caps.has('delete-refs')) {
    throw new SendError('the remote does not allow deleting refs');
  }
  const caps = ['report-status', 'quiet', 'atomic', 'ofs-delta'].filter((c) => remote.caps.has(c));
  if (!caps.includes('report-status')) throw new SendError('the remote does not offer report-status');
  caps.push(`agent=${options.agent}`);
  const header = commands.map((c, i) =>
    encodePkt(`${c.oldOid} ${c.newOid} ${c.name}${i === 0 ? `\0${caps.join(' ')}` : ''}\n`),
  );
  header.push(flushPkt());

  let objects = 0;
  let pack: ReadableStream<Uint8Array> | null = null;
  const wants = commands.filter((c) => c.newOid !== ZERO_OID).map((c) => c.newOid);
  // git sends a pack, empty if need be, whenever a command is not a deletion.
  if (wants.length > 0) {
    // What the remote holds and we hold too bounds the walk (we hold its history with it).
    const haves: string[] = [];
    for (const oid of new Set(theirs.values())) {
      if ((await repo.odb.store.lookup(oid)) !== null) haves.push(oid);
    }
    const { oids, clientHas } = await objectsToSend(wants, haves, repo.odb);
    objects = new Set(oids).size;
    repo.odb.dropCache();
    pack = writePack(oids, repo.odb, {
      ofsDelta: remote.caps.has('ofs-delta'),
      // receive-pack completes thin packs unless the remote says otherwise.
      clientHas: remote.caps.has('no-thin') ? undefined : clientHas,
    });
  }
  const res = await transport('git-receive-pack', {
    body: requestBody(header, pack),
    headers: {
      'Content-Type': 'application/x-git-receive-pack-request',
      Accept: 'application/x-git-receive-pack-result',
    },
  });
  const statuses = await readReportStatus(
    await expectGitResponse(res, 'application/x-git-receive-pack-result', REMOTE),
  );
  return { commands, objects, statuses };
}

/** The commands then the pack, as one stream produced as the remote reads it. */
function requestBody(
  header: Uint8Array[],
  pack: ReadableStream<Uint8Array> | null,
): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const h of header) controller.enqueue(h);
      if (pack === null) controller.close();
      else reader = pack.getReader();
    },
    async pull(controller) {
      if (reader === null) return;
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}

/** The first refusal among the statuses, as the user reads it; null when every ref was updated. */
export function firstRefusal(result: SendResult): string | null {
  const ng = result.statuses.find((s) => s.error !== null);
  if (ng) return `${ng.name}: ${ng.error}`;
  const reported = new Set(result.statuses.map((s) => s.name));
  const silent = result.commands.find((c) => !reported.has(c.name));
  return silent ? `${silent.name}: the remote did not report it` : null;
}

/**
 * The objects to send and what the remote has, without the walk's lists: a mirror's first push
 * walks the whole history, and its list of ids would sit beside the writer's table.
 */
async function objectsToSend(
  wants: readonly Oid[],
  haves: readonly Oid[],
  odb: ObjectDatabase,
): Promise<{ oids: Oid[]; clientHas: (oid: Oid) => boolean }> {
  const reachable = await reachableObjects(wants, haves, odb);
  return { oids: [...reachable.commits, ...reachable.objects], clientHas: walkAnswer(reachable).clientHas };
}
