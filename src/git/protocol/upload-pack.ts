/** `POST git-upload-pack`: protocol v2 commands (ls-refs, fetch) or v0/v1 stateless upload-pack. */
import { isGitError } from '../errors';
import { encodePkt, type PktLineReader } from '../pktline';
import { toReadableStream } from '../stream';
import { ProtocolError } from './errors';
import { fetchV2 } from './fetch-v2';
import { lsRefs } from './ls-refs';
import { PackStreamAborted } from './pack-sender';
import type { GitRepository, ProtocolVersion } from './repository';
import { readLine, requestReader } from './request';
import { uploadPackV0 } from './upload-pack-v0';

export function uploadPack(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
  options: { version: ProtocolVersion },
): ReadableStream<Uint8Array> {
  return toReadableStream(uploadPackAnswer(body, repo, options));
}

/** The answer as the generator it is, for a caller that hands it to its platform's own stream. */
export function uploadPackAnswer(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
  options: { version: ProtocolVersion },
): AsyncIterable<Uint8Array> {
  const request = readableBody(body);
  const inner = options.version === 2 ? uploadPackV2(request, repo) : uploadPackV0(request, repo);
  return closingBody(reportErrors(inner), request);
}

/**
 * Once the answer is complete (a refusal included), stop the body: whatever is left of the upload
 * is cancelled at its source, so a sender (the Worker inflating a gzip bomb) stops producing it
 * instead of filling buffers nobody reads.
 */
async function* closingBody(
  answer: AsyncGenerator<Uint8Array>,
  request: AsyncGenerator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  try {
    yield* answer;
  } finally {
    await request.return(undefined);
  }
}

/**
 * A request body that cannot be read (a bad gzip stream, a connection cut mid-request) is the
 * client's error: report it as a protocol error, so it becomes an `ERR` packet, not a crash.
 */
async function* readableBody(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await it.next();
      } catch (e) {
        finished = true;
        throw new ProtocolError(
          `could not read the request body: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopped early (closingBody): the source learns that the rest will not be read.
    if (!finished) await it.return?.();
  }
}

/** Turn engine errors into an `ERR` packet, which git prints as "remote error". */
async function* reportErrors(inner: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* inner;
  } catch (e) {
    if (e instanceof PackStreamAborted) return;
    if (!isGitError(e)) throw e;
    yield encodePkt(`ERR ${e.message}\n`);
  }
}

async function* uploadPackV2(
  body: AsyncIterable<Uint8Array>,
  repo: GitRepository,
): AsyncGenerator<Uint8Array> {
  const reader = requestReader(body);
  // Stateless HTTP carries one command per request; loop anyway, as git's server does.
  for (;;) {
    const first = await readLine(reader);
    if (first.kind === 'eof') return;
    if (first.kind === 'flush') continue;
    if (first.kind !== 'line' || !first.text.startsWith('command=')) {
      throw new ProtocolError('expected a command');
    }
    const command = first.text.slice('command='.length);
    // Capability lines up to the delim (or a flush when there are no arguments).
    let hasArgs = false;
    for (;;) {
      const line = await readLine(reader);
      if (line.kind === 'delim') {
        hasArgs = true;
        break;
      }
      if (line.kind === 'flush') break;
      if (line.kind === 'eof') throw new ProtocolError('unexpected end of request');
      if (line.text.startsWith('object-format=') && line.text !== 'object-format=sha1') {
        throw new ProtocolError(`unsupported object format '${line.text}'`, 'UNSUPPORTED');
      }
    }
    // Arguments reach the command as they are read: it keeps only what it needs, within its caps.
    const args = commandArgs(reader, hasArgs);
    if (command === 'ls-refs') yield* lsRefs(args, repo);
    else if (command === 'fetch') yield* fetchV2(args, repo);
    else throw new ProtocolError(`unknown command '${command}'`);
    // A command that did not need every argument still leaves the reader after them.
    for await (const _ of args);
  }
}

async function* commandArgs(reader: PktLineReader, hasArgs: boolean): AsyncGenerator<string> {
  if (!hasArgs) return;
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'flush') return;
    if (line.kind !== 'line') throw new ProtocolError('unexpected packet in command arguments');
    yield line.text;
  }
}
