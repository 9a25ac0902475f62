/**
 * The engine's own `git fetch` into a repository (migrations and pull mirrors): it is a push the
 * server pulls. The remote's branches and tags are listed (v2 `ls-refs`, else the v0
 * advertisement), the pack for what the repository lacks is requested with the tips it holds as
 * haves, indexed as it streams in by the push's own path (fsck, caps, collisions) and published
 * with the ref updates by the push's planner, atomically: all refs move or none does.
 */
import { isGitError } from '../errors';
import { PktLineReader } from '../pktline';
import type { ProgressSink } from '../protocol/progress';
import type { GitRepository } from '../protocol/repository';
import { applyRefCommands, type ReceivedPack } from '../push/apply';
import { type ReceiveLimits, receiveObjects } from '../push/receive-objects';
import type { RefCommand } from '../store';
import { ZERO_OID } from '../store';
import { DEFAULT_REF_PREFIXES, discoverRefs } from './discover';
import { fetchPack } from './fetch-pack';
import { FetchError, type GitTransport } from './transport';

export { FetchError, type GitTransport } from './transport';

export interface FetchOptions extends ReceiveLimits {
  readonly agent: string;
  /** Delete local branches and tags the remote no longer has (a mirror). */
  readonly prune: boolean;
  /** The refs fetched (and pruned): branches and tags unless told. */
  readonly refPrefixes?: readonly string[];
  readonly progress?: ProgressSink;
  /** Told how far the pack has come as it is received and indexed. */
  readonly onPack?: (p: FetchPackProgress) => void;
}

/** How far a fetch's pack has come: objects received or deltas resolved, and bytes received. */
export interface FetchPackProgress {
  readonly phase: 'receiving' | 'resolving';
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
}

export interface FetchResult {
  readonly protocol: 0 | 2;
  /** The ref the remote's HEAD points to, if it said. */
  readonly head: string | null;
  /** The ref commands applied (empty when the repository was already equal). */
  readonly updated: readonly RefCommand[];
  /** Bytes of pack received. */
  readonly packBytes: number;
}

const SILENT: ProgressSink = { line: () => undefined, info: () => undefined, counter: () => undefined };

export async function fetchInto(
  repo: GitRepository,
  transport: GitTransport,
  options: FetchOptions,
): Promise<FetchResult> {
  const progress = options.progress ?? SILENT;
  const prefixes = options.refPrefixes ?? DEFAULT_REF_PREFIXES;
  const remote = await discoverRefs(transport, options.agent, prefixes);
  const local = new Map((await repo.refs.list([...prefixes])).map((r) => [r.name, r.oid]));
  const commands: RefCommand[] = [];
  for (const r of remote.refs) {
    const old = local.get(r.name);
    if (old !== r.oid) commands.push({ name: r.name, oldOid: old ?? ZERO_OID, newOid: r.oid });
  }
  if (options.prune) {
    const names = new Set(remote.refs.map((r) => r.name));
    for (const [name, oid] of local)
      if (!names.has(name)) commands.push({ name, oldOid: oid, newOid: ZERO_OID });
  }
  const wants: string[] = [];
  for (const oid of new Set(commands.map((c) => c.newOid))) {
    if (oid !== ZERO_OID && (await repo.odb.store.lookup(oid)) === null) wants.push(oid);
  }
  let pack: ReceivedPack = null;
  let packBytes = 0;
  if (wants.length > 0) {
    const stream = await fetchPack(transport, remote, {
      wants,
      haves: [...new Set(local.values())],
      agent: options.agent,
    });
    const counted = (async function* () {
      for await (const chunk of stream) {
        packBytes += chunk.length;
        yield chunk;
      }
    })();
    const writer = await repo.newPack();
    try {
      const onPack = options.onPack;
      const received = await receiveObjects(
        new PktLineReader(counted),
        repo.odb,
        writer,
        { ...options, onIndexProgress: onPack && ((p) => onPack({ ...p, bytes: packBytes })) },
        progress,
      );
      if (received === null) throw new FetchError('the source sent an empty pack');
      pack = { writer, received };
    } catch (e) {
      await writer.abort();
      throw asFetchError(e);
    }
  }
  const results = await applyRefCommands(repo, commands, pack, { atomic: true }, progress).finally(() =>
    pack?.received.links.dispose(),
  );
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) throw new FetchError(`${failed.name}: ${failed.reason}`);
  return { protocol: remote.version, head: remote.head, updated: commands, packBytes };
}

/** Engine failures of the pack as the user reads them; anything else as it is. */
function asFetchError(e: unknown): unknown {
  if (e instanceof FetchError || !isGitError(e)) return e;
  return new FetchError(`the source sent a bad pack: ${e.message}`);
}
