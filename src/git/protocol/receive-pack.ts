/**
 * `POST git-receive-pack`: read the ref commands, index the pack that follows into a
 * quarantined pack, check connectivity, update refs (publishing the pack) and report status.
 */
import { isGitError } from '../errors';
import { ObjectDatabase } from '../odb';
import { indexPack } from '../pack/index-pack';
import {
  concatBytes,
  encodePkt,
  encodeSideband,
  flushPkt,
  PktLineReader,
  SIDEBAND_64K_PAYLOAD,
} from '../pktline';
import { isValidRefName } from '../refname';
import type { Oid, PackWriter, RefCommand, RefCommandResult } from '../store';
import { ZERO_OID } from '../store';
import { reachableObjects } from '../walk/reachable';
import { peel } from '../walk/read';
import { Capabilities, splitCapabilities } from './capabilities';
import { ProtocolError } from './errors';
import type { GitRepository } from './repository';
import { readLine } from './request';
import { toReadableStream } from './stream';

export interface PushRequest {
  readonly commands: RefCommand[];
  readonly caps: Capabilities;
  readonly pushOptions: string[];
}

const COMMAND_RE = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.+)$/;

export function receivePack(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
): ReadableStream<Uint8Array> {
  return toReadableStream(receive(body, repo));
}

async function* receive(body: AsyncIterable<Uint8Array>, repo: GitRepository): AsyncGenerator<Uint8Array> {
  const reader = new PktLineReader(body);
  let request: PushRequest;
  try {
    request = await readCommands(reader);
  } catch (e) {
    if (!isGitError(e)) throw e;
    yield encodePkt(`ERR ${e.message}\n`);
    return;
  }
  if (request.commands.length === 0) return;
  const { caps } = request;
  const report = await applyPush(reader, repo, request);
  const lines = [report.unpack === null ? 'unpack ok' : `unpack ${report.unpack}`];
  for (const r of report.results) lines.push(r.ok ? `ok ${r.name}` : `ng ${r.name} ${r.reason}`);
  if (!caps.has('report-status') && !caps.has('report-status-v2')) return;
  const status = concatBytes([...lines.map((l) => encodePkt(`${l}\n`)), flushPkt()]);
  if (caps.has('side-band-64k')) {
    yield* encodeSideband(1, status, SIDEBAND_64K_PAYLOAD);
    yield flushPkt();
  } else {
    yield status;
  }
}

async function readCommands(reader: PktLineReader): Promise<PushRequest> {
  const commands: RefCommand[] = [];
  let caps = new Capabilities([]);
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'flush' || line.kind === 'eof') break;
    if (line.kind !== 'line') throw new ProtocolError('unexpected packet among push commands');
    let text = line.text;
    if (commands.length === 0) {
      const split = splitCapabilities(text);
      text = split.payload;
      caps = split.caps;
    }
    // A shallow client announces its boundaries first; we accept its objects as they come.
    if (text.startsWith('shallow ')) continue;
    const m = COMMAND_RE.exec(text);
    if (!m) throw new ProtocolError(`invalid push command '${text}'`);
    commands.push({ oldOid: m[1], newOid: m[2], name: m[3] });
  }
  const pushOptions: string[] = [];
  if (caps.has('push-options') && commands.length > 0) {
    for (;;) {
      const line = await readLine(reader);
      if (line.kind === 'flush' || line.kind === 'eof') break;
      if (line.kind === 'line') pushOptions.push(line.text);
    }
  }
  return { commands, caps, pushOptions };
}

interface PushReport {
  /** null for "unpack ok", else the reason. */
  readonly unpack: string | null;
  readonly results: RefCommandResult[];
}

async function applyPush(
  reader: PktLineReader,
  repo: GitRepository,
  request: PushRequest,
): Promise<PushReport> {
  const { commands, caps } = request;
  const atomic = caps.has('atomic');
  const needsPack = commands.some((c) => c.newOid !== ZERO_OID);
  let writer: PackWriter | null = null;
  let odb = repo.odb;
  if (needsPack) {
    writer = await repo.newPack();
    try {
      const input = nonEmpty(reader.rest());
      if (await input.hasData()) await indexPack(input.stream, writer, repo.odb.store, {
          createSha1: repo.odb.createSha1,
          inflate: repo.odb.inflate,
        });
      odb = new ObjectDatabase(repo.odb.store, { pending: writer });
    } catch (e) {
      await writer.abort();
      if (!isGitError(e)) throw e;
      return {
        unpack: e.message,
        results: commands.map((c) => ({ name: c.name, ok: false, reason: 'unpacker error' })),
      };
    }
  }

  const rejected = new Map<string, string>();
  const seen = new Set<string>();
  for (const c of commands) {
    if (!c.name.startsWith('refs/') || !isValidRefName(c.name)) rejected.set(c.name, 'funny refname');
    else if (seen.has(c.name)) rejected.set(c.name, 'duplicate ref update');
    seen.add(c.name);
  }
  const updates = commands.filter((c) => c.newOid !== ZERO_OID && !rejected.has(c.name));
  for (const [name, reason] of await checkConnectivity(odb, repo, updates)) rejected.set(name, reason);

  const accepted: RefCommand[] = [];
  for (const c of commands) {
    if (rejected.has(c.name)) continue;
    if (c.newOid === ZERO_OID) {
      accepted.push(c);
      continue;
    }
    const p = await peel(odb, c.newOid);
    accepted.push(p.tags.length > 0 ? { ...c, peeled: p.oid } : c);
  }

  let stored: RefCommandResult[] = [];
  if (accepted.length > 0 && !(atomic && rejected.size > 0)) {
    stored = await repo.refs.update(accepted, { atomic, publishPackId: writer?.packId });
  } else if (writer) {
    await writer.abort();
  }
  const byName = new Map(stored.map((r) => [r.name, r]));
  const results: RefCommandResult[] = commands.map((c) => {
    const reason = rejected.get(c.name);
    if (reason !== undefined) return { name: c.name, ok: false, reason };
    if (atomic && rejected.size > 0) return { name: c.name, ok: false, reason: 'atomic push failure' };
    return byName.get(c.name) ?? { name: c.name, ok: false, reason: 'not updated' };
  });
  return { unpack: null, results };
}

/**
 * `git rev-list --objects new-tips --not existing-tips` must find every object. One walk for
 * all updates; only when it fails is each update checked alone, to name the culprits.
 */
async function checkConnectivity(
  odb: ObjectDatabase,
  repo: GitRepository,
  updates: readonly RefCommand[],
): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  if (updates.length === 0) return failures;
  const existing: Oid[] = [];
  for (const r of await repo.refs.list()) existing.push(r.oid);
  const connected = async (tips: Oid[]): Promise<boolean> => {
    try {
      await reachableObjects(tips, existing, odb, { verify: true });
      return true;
    } catch (e) {
      if (!isGitError(e)) throw e;
      return false;
    }
  };
  if (await connected(updates.map((u) => u.newOid))) return failures;
  for (const u of updates) {
    if (!(await connected([u.newOid]))) failures.set(u.name, 'missing necessary objects');
  }
  return failures;
}

/** Peek whether a byte stream has any data, without losing the first chunk. */
function nonEmpty(source: AsyncIterable<Uint8Array>): {
  hasData(): Promise<boolean>;
  stream: AsyncIterable<Uint8Array>;
} {
  const it = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array> | null = null;
  return {
    async hasData() {
      first = await it.next();
      return !first.done;
    },
    stream: {
      async *[Symbol.asyncIterator]() {
        if (first && !first.done) yield first.value;
        for (;;) {
          const next = await it.next();
          if (next.done) return;
          yield next.value;
        }
      },
    },
  };
}
