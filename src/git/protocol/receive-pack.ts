/**
 * `POST git-receive-pack`: read the ref commands (and push options), index the pack that
 * follows into a quarantined pack, check it as `receive.fsckObjects=true` would (fsck of every
 * new object, size caps, collisions, connectivity), update refs (publishing the pack) and report
 * status. Nothing becomes visible unless a ref update commits; any failure drops the pack.
 */
import { concatBytes } from '../bytes';
import { GitError, isGitError, PackError } from '../errors';
import { checkCollisions } from '../fsck/collision';
import { FsckError, formatFinding } from '../fsck/findings';
import { PushFsck } from '../fsck/objects';
import { ObjectDatabase } from '../odb';
import { indexPack, type ObjectVisitor } from '../pack/index-pack';
import { encodePkt, encodeSideband, flushPkt, PktLineReader, SIDEBAND_64K_PAYLOAD } from '../pktline';
import { screenRefCommands } from '../refs/plan';
import { describeRejection } from '../refs/rejection';
import type { Oid, PackWriter, RefCommand, RefCommandResult } from '../store';
import { ZERO_OID } from '../store';
import { toReadableStream } from '../stream';
import { peel } from '../walk/read';
import { extendCachedPack } from './cached-pack-layer';
import { Capabilities, splitCapabilities } from './capabilities';
import { ProtocolError } from './errors';
import { ProgressChannel, type ProgressSink } from './progress';
import { checkConnectivity, quickConnectivity } from './push-connectivity';
import { PushLinks } from './push-links';
import type { GitRepository } from './repository';
import { readLine } from './request';

export interface PushRequest {
  readonly commands: RefCommand[];
  readonly caps: Capabilities;
  readonly pushOptions: string[];
}

export interface ReceivePackOptions {
  /** Largest object (or delta) accepted, in inflated bytes (git: `transfer.maxObjectSize`-like). */
  readonly maxObjectBytes?: number;
  /** Largest pack accepted, in bytes on the wire (git: `receive.maxInputSize`). */
  readonly maxPushBytes?: number;
  /**
   * Most objects one pack may hold. Indexing keeps ~100 bytes per object until the push is done,
   * so this is what bounds a push's memory (git has no such cap; its index-pack is not in 128 MB).
   */
  readonly maxPushObjects?: number;
  /** fsck every new object (git: `receive.fsckObjects`); on by default. */
  readonly fsck?: boolean;
  /** Receives the `git push -o` options (only when the client sent some) before objects are read. */
  readonly onPushOptions?: (
    options: readonly string[],
    commands: readonly RefCommand[],
  ) => void | Promise<void>;
}

const COMMAND_RE = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.+)$/;
/** git's `unpack` reason whenever its index-pack fails; the details go to band 2. */
const INDEX_PACK_FAILED = 'index-pack abnormal exit';
const SIDEBAND_PAYLOAD = 999;

export function receivePack(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
  options: ReceivePackOptions = {},
): ReadableStream<Uint8Array> {
  return toReadableStream(receive(body, repo, options));
}

async function* receive(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
  options: ReceivePackOptions,
): AsyncGenerator<Uint8Array> {
  const reader = new PktLineReader(body);
  let request: PushRequest;
  try {
    request = await readCommands(reader);
    if (request.pushOptions.length > 0) await options.onPushOptions?.(request.pushOptions, request.commands);
  } catch (e) {
    if (!isGitError(e)) throw e;
    yield encodePkt(`ERR ${e.message}\n`);
    return;
  }
  if (request.commands.length === 0) return;
  const { caps } = request;
  const band = caps.has('side-band-64k')
    ? SIDEBAND_64K_PAYLOAD
    : caps.has('side-band')
      ? SIDEBAND_PAYLOAD
      : 0;
  const progress = new ProgressChannel(band > 0, caps.has('quiet'));
  const work = applyPush(reader, repo, request, options, progress).finally(() => progress.close());
  // The response may be abandoned (client gone) before `work` settles; its failure is then
  // already handled inside (the pack is dropped), so only keep it from being unhandled.
  work.catch((e: unknown) => e);
  for (let msgs = await progress.take(); msgs !== null; msgs = await progress.take()) {
    yield* encodeSideband(2, msgs.join(''), band);
  }
  const report = await work;
  if (!caps.has('report-status') && !caps.has('report-status-v2')) {
    if (band > 0) yield flushPkt();
    return;
  }
  const lines = [report.unpack === null ? 'unpack ok' : `unpack ${report.unpack}`];
  for (const r of report.results) lines.push(r.ok ? `ok ${r.name}` : `ng ${r.name} ${r.reason}`);
  const status = concatBytes([...lines.map((l) => encodePkt(`${l}\n`)), flushPkt()]);
  if (band > 0) {
    yield* encodeSideband(1, status, band);
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
      if (line.kind !== 'line') throw new ProtocolError('unexpected packet among push options');
      pushOptions.push(line.text.replace(/\n$/, ''));
    }
  }
  return { commands, caps, pushOptions };
}

interface PushReport {
  /** null for "unpack ok", else the reason. */
  readonly unpack: string | null;
  readonly results: RefCommandResult[];
}

/** Stops a pack past `max` bytes as soon as the byte arrives, not after storing it all. */
async function* capped(source: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw new GitError('PUSH_TOO_LARGE', `pack exceeds maximum allowed size (${max} bytes)`);
    yield chunk;
  }
}

/** Index, verify and fsck the pack into `writer`; throws a GitError when the push must be refused. */
async function receiveObjects(
  reader: PktLineReader,
  repo: GitRepository,
  writer: PackWriter,
  options: ReceivePackOptions,
  progress: ProgressSink,
): Promise<ReceivedObjects | null> {
  const input = nonEmpty(reader.rest());
  if (!(await input.hasData())) return null;
  const fsck = options.fsck === false ? null : new PushFsck();
  const links = new PushLinks();
  const stream =
    options.maxPushBytes === undefined ? input.stream : capped(input.stream, options.maxPushBytes);
  try {
    const indexed = await indexPushed(stream, writer, repo, options, progress, links, (oid, type, data) => {
      if (fsck?.visit(oid, type, data)) throw new FsckError(fsck.fatal);
      links.visit(type, data);
    });
    // The indexer stops at the trailer; bytes still in flight after it are junk, as git says.
    if (await input.hasMore()) throw new PackError('PACK_TRAILING_DATA', 'pack has junk at the end');
    const twins = await checkCollisions(links.packed(), repo.odb.store, repo.odb, writer);
    if (fsck !== null) {
      const pending = new ObjectDatabase(repo.odb.store, { pending: writer, ...repo.odb.codecs });
      const findings = await fsck.finish(pending, (oid) => writer.lookupPending(oid));
      if (findings.length > 0) throw new FsckError(findings);
    }
    return { links, twins, ...indexed };
  } finally {
    // Accepted findings are shown whether the push goes on or not, before any error (as git).
    for (const line of fsck?.warningLines() ?? []) progress.line(line);
  }
}

/**
 * Index the pack, fsck and the links for the connectivity check seeing each object while it is
 * in hand. The pushed ids go into `links` as raw bytes, so the indexer's table they are read from
 * is garbage before fsck and the connectivity check run instead of held through them.
 */
async function indexPushed(
  stream: AsyncIterable<Uint8Array>,
  writer: PackWriter,
  repo: GitRepository,
  options: ReceivePackOptions,
  progress: ProgressSink,
  links: PushLinks,
  onObject: ObjectVisitor,
): Promise<{ distinct: boolean; externalBases: readonly Oid[] }> {
  const result = await indexPack(stream, writer, repo.odb.store, {
    ...repo.odb.codecs,
    maxObjectSize: options.maxObjectBytes,
    maxObjectCount: options.maxPushObjects,
    onProgress: (p) => {
      if (p.phase === 'resolving') progress.counter('Resolving deltas', p.done, p.total);
    },
    onObject,
  });
  result.oids.forEachBytes((bytes, at) => links.addPacked(bytes, at));
  return { distinct: links.packedSize === result.objectCount, externalBases: result.externalBases };
}

/** What the pack of a push brought: its objects and what they point to. */
interface ReceivedObjects {
  readonly links: PushLinks;
  /** Objects of the pack that were already stored. */
  readonly twins: number;
  /** Whether the pack holds each of its objects once. */
  readonly distinct: boolean;
  readonly externalBases: readonly Oid[];
}

async function applyPush(
  reader: PktLineReader,
  repo: GitRepository,
  request: PushRequest,
  options: ReceivePackOptions,
  progress: ProgressSink,
): Promise<PushReport> {
  const { commands, caps } = request;
  const atomic = caps.has('atomic');
  const needsPack = commands.some((c) => c.newOid !== ZERO_OID);
  let writer: PackWriter | null = null;
  let odb = repo.odb;
  let received: ReceivedObjects | null = null;
  if (needsPack) {
    writer = await repo.newPack();
    try {
      received = await receiveObjects(reader, repo, writer, options, progress);
      odb = new ObjectDatabase(repo.odb.store, { pending: writer, ...repo.odb.codecs });
    } catch (e) {
      await writer.abort();
      if (!isGitError(e)) throw e;
      if (e instanceof FsckError) {
        for (const f of e.findings) progress.line(`error: ${formatFinding(f)}`);
        progress.line('fatal: fsck error in packed object');
      } else {
        progress.line(`fatal: ${e.message}`);
      }
      return {
        unpack: unpackReason(e),
        results: commands.map((c) => ({ name: c.name, ok: false, reason: 'unpacker error' })),
      };
    }
  }

  const rejected = new Map<string, string>();
  screenRefCommands(commands).forEach((r, i) => {
    if (r) rejected.set(commands[i].name, describeRejection(commands[i].name, r));
  });
  const updates = commands.filter((c) => c.newOid !== ZERO_OID && !rejected.has(c.name));
  let outsidePacks: Set<number> | null = null;
  try {
    outsidePacks = await quickConnectivity(received?.links, repo, updates, progress);
    const failures =
      outsidePacks !== null
        ? new Map<string, string>()
        : await checkConnectivity(odb, repo, updates, progress);
    for (const [name, reason] of failures) rejected.set(name, reason);
  } catch (e) {
    await writer?.abort();
    throw e;
  }

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
  if (writer !== null && received !== null && outsidePacks !== null && repo.cachedPack !== undefined) {
    const tips = accepted.filter((c) => c.newOid !== ZERO_OID && byName.get(c.name)?.ok).map((c) => c.newOid);
    const pushed = { packId: writer.packId, ...received, outsidePacks };
    await extendCachedPack(repo.cachedPack, repo.odb.store, pushed, tips);
  }
  const results: RefCommandResult[] = commands.map((c) => {
    const reason = rejected.get(c.name);
    if (reason !== undefined) return { name: c.name, ok: false, reason };
    if (atomic && rejected.size > 0)
      return { name: c.name, ok: false, reason: describeRejection(c.name, { code: 'ATOMIC' }) };
    return byName.get(c.name) ?? { name: c.name, ok: false, reason: 'not updated' };
  });
  return { unpack: null, results };
}

/** git's receive-pack reads the pack header itself and names a bad one; the rest is index-pack's. */
function unpackReason(e: GitError): string {
  if (e.code === 'PACK_BAD_SIGNATURE') return 'protocol error (pack signature mismatch detected)';
  if (e.code === 'PACK_BAD_VERSION')
    return `protocol error (pack version ${/\d+/.exec(e.message)?.[0] ?? '?'} unsupported)`;
  return INDEX_PACK_FAILED;
}

/** Peek whether a byte stream has any data, without losing the first chunk. */
function nonEmpty(source: AsyncIterable<Uint8Array>): {
  hasData(): Promise<boolean>;
  /** Whether any byte follows what was read so far (reads to the end). */
  hasMore(): Promise<boolean>;
  stream: AsyncIterable<Uint8Array>;
} {
  const it = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array> | null = null;
  return {
    async hasData() {
      first = await it.next();
      return !first.done;
    },
    async hasMore() {
      let more = false;
      for (let next = await it.next(); !next.done; next = await it.next()) more ||= next.value.length > 0;
      return more;
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
