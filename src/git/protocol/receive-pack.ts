/**
 * `POST git-receive-pack`: read the ref commands (and push options), receive the pack that
 * follows into a quarantined pack and check it (`push/receive-objects`), check connectivity and
 * the commands, publish the pack with the ref updates (`push/publish`) and report status.
 * Nothing becomes visible unless a ref update commits; any failure drops the pack.
 */
import { type GitError, isGitError } from '../errors';
import { FsckError, formatFinding } from '../fsck/findings';
import { encodePkt, encodeSideband, type PktLineReader } from '../pktline';
import type { Protection } from '../protect/guard';
import { applyRefCommands } from '../push/apply';
import { type ReceivedObjects, type ReceiveLimits, receiveObjects } from '../push/receive-objects';
import type { PackWriter, RefCommand } from '../store';
import { ZERO_OID } from '../store';
import { toReadableStream } from '../stream';
import { ProgressChannel, type ProgressSink } from './progress';
import {
  type PushReport,
  type PushRequest,
  parsePushRequest,
  sidebandPayload,
  writeReportStatus,
} from './push-request';
import type { GitRepository } from './repository';
import { requestReader } from './request';

export interface ReceivePackOptions extends ReceiveLimits {
  /** Receives the `git push -o` options (only when the client sent some) before objects are read. */
  readonly onPushOptions?: (
    options: readonly string[],
    commands: readonly RefCommand[],
  ) => void | Promise<void>;
  /** Told the ref updates that committed, once they have (webhooks); must not block the push. */
  readonly onRefsUpdated?: (updates: readonly RefCommand[]) => void;
  /** Branch protection, applied in the ref update's transaction (protect/guard.ts). */
  readonly protection?: Protection;
  /** Ref prefixes no push may update (git's receive.hideRefs), e.g. `refs/pull/`. */
  readonly hiddenRefs?: readonly string[];
}

/** git's `unpack` reason whenever its index-pack fails; the details go to band 2. */
const INDEX_PACK_FAILED = 'index-pack abnormal exit';

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
  // The commands and options are capped as a request (packets, bytes); the pack after them is
  // read through `rest()`, capped by maxPushBytes.
  const reader = requestReader(body);
  let request: PushRequest;
  try {
    request = await parsePushRequest(reader);
    if (request.pushOptions.length > 0) await options.onPushOptions?.(request.pushOptions, request.commands);
  } catch (e) {
    if (!isGitError(e)) throw e;
    yield encodePkt(`ERR ${e.message}\n`);
    return;
  }
  if (request.commands.length === 0) return;
  const { caps } = request;
  const band = sidebandPayload(caps);
  const progress = new ProgressChannel(band > 0, caps.has('quiet'));
  const work = applyPush(reader, repo, request, options, progress).finally(() => progress.close());
  // The response may be abandoned (client gone) before `work` settles; its failure is then
  // already handled inside (the pack is dropped), so only keep it from being unhandled.
  work.catch((e: unknown) => e);
  for (let msgs = await progress.take(); msgs !== null; msgs = await progress.take()) {
    yield* encodeSideband(2, msgs.join(''), band);
  }
  yield* writeReportStatus(await work, caps, band);
}

async function applyPush(
  reader: PktLineReader,
  repo: GitRepository,
  request: PushRequest,
  options: ReceivePackOptions,
  progress: ProgressSink,
): Promise<PushReport> {
  // A push with a pack is heavy work: it waits for another push (or a walk) to finish first.
  const packed = request.commands.some((c) => c.newOid !== ZERO_OID);
  let release: () => void = () => undefined;
  if (packed && repo.admit) {
    try {
      release = await repo.admit('push', () => progress.info('waiting for another push to finish'));
    } catch (e) {
      if (!isGitError(e)) throw e;
      return refused(e, request.commands, progress);
    }
  }
  try {
    return await receiveAndApply(reader, repo, request, options, progress);
  } finally {
    release();
  }
}

async function receiveAndApply(
  reader: PktLineReader,
  repo: GitRepository,
  request: PushRequest,
  options: ReceivePackOptions,
  progress: ProgressSink,
): Promise<PushReport> {
  const { commands, caps } = request;
  const atomic = caps.has('atomic');
  let writer: PackWriter | null = null;
  let received: ReceivedObjects | null = null;
  if (commands.some((c) => c.newOid !== ZERO_OID)) {
    writer = await repo.newPack();
    try {
      received = await receiveObjects(reader, repo.odb, writer, options, progress);
    } catch (e) {
      await writer.abort();
      if (!isGitError(e)) throw e;
      return unpackFailed(e, commands, progress);
    }
    if (received === null) {
      // Commands with new ids but no pack: they can only name objects already stored.
      await writer.abort();
      writer = null;
    }
  }
  const pack = writer && received ? { writer, received } : null;
  try {
    const results = await applyRefCommands(
      repo,
      commands,
      pack,
      {
        atomic,
        onRefsUpdated: options.onRefsUpdated,
        protection: options.protection,
        hiddenRefs: options.hiddenRefs,
      },
      progress,
    );
    return { unpack: null, results };
  } finally {
    received?.links.dispose();
  }
}

/** The report of a push that could not start (the repository stayed busy): nothing was read. */
function refused(e: GitError, commands: readonly RefCommand[], progress: ProgressSink): PushReport {
  progress.line(`error: ${e.message}`);
  return {
    unpack: 'repository busy',
    results: commands.map((c) => ({ name: c.name, ok: false, reason: 'repository busy' })),
  };
}

/** The report of a push whose pack was refused: git's reasons, the details on band 2. */
function unpackFailed(e: GitError, commands: readonly RefCommand[], progress: ProgressSink): PushReport {
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

/** git's receive-pack reads the pack header itself and names a bad one; the rest is index-pack's. */
function unpackReason(e: GitError): string {
  if (e.code === 'PACK_BAD_SIGNATURE') return 'protocol error (pack signature mismatch detected)';
  if (e.code === 'PACK_BAD_VERSION')
    return `protocol error (pack version ${/\d+/.exec(e.message)?.[0] ?? '?'} unsupported)`;
  return INDEX_PACK_FAILED;
}
