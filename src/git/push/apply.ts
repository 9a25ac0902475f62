/**
 * What follows the pack of a push, and of a fetch the server makes itself (migrations, mirrors):
 * connectivity, git's ref-name checks, tags peeled, then the pack published with the ref updates
 * in one transaction (or dropped when nothing applies).
 */
import { ObjectDatabase } from '../odb';
import { type Protection, protectionCheck } from '../protect/guard';
import type { ProgressSink } from '../protocol/progress';
import type { GitRepository } from '../protocol/repository';
import { describeRejection } from '../refs/rejection';
import type { PackWriter, RefCommand, RefCommandResult } from '../store';
import { ZERO_OID } from '../store';
import { peeledCommands, refusedCommands } from './commands';
import { checkConnectivity, quickConnectivity } from './connectivity';
import { publishPack } from './publish';
import type { ReceivedObjects } from './receive-objects';

/** A quarantined pack and what indexing it found; null when the commands came without one. */
export type ReceivedPack = { readonly writer: PackWriter; readonly received: ReceivedObjects } | null;

/** Checks and applies `commands` publishing `pack`; every command's result, in order. */
export async function applyRefCommands(
  repo: GitRepository,
  commands: readonly RefCommand[],
  pack: ReceivedPack,
  options: {
    readonly atomic: boolean;
    /** Told the commands that committed, after publishing (see ReceivePackOptions). */
    readonly onRefsUpdated?: (commands: readonly RefCommand[]) => void;
    /** Branch protection, applied in the ref update's transaction (protect/guard.ts). */
    readonly protection?: Protection;
    /** Ref prefixes refused as git refuses its hidden refs. */
    readonly hiddenRefs?: readonly string[];
  },
  progress: ProgressSink,
): Promise<RefCommandResult[]> {
  const { atomic } = options;
  const writer = pack?.writer ?? null;
  const odb = writer ? new ObjectDatabase(repo.odb.store, { pending: writer, ...repo.odb.codecs }) : repo.odb;
  const rejected = refusedCommands(commands, options.hiddenRefs);
  const updates = commands.filter((c) => c.newOid !== ZERO_OID && !rejected.has(c.name));
  try {
    if (!(await quickConnectivity(pack?.received.links, repo.odb.store, updates, progress))) {
      for (const [name, reason] of await checkConnectivity(odb, repo, updates, progress))
        rejected.set(name, reason);
    }
  } catch (e) {
    await writer?.abort();
    throw e;
  }
  const accepted = await peeledCommands(odb, commands, rejected);
  let stored: RefCommandResult[] = [];
  if (accepted.length > 0 && !(atomic && rejected.size > 0)) {
    const published = pack ? { packId: pack.writer.packId, ...pack.received } : null;
    const target = { refs: repo.refs, store: repo.odb.store, cachedPack: repo.cachedPack };
    let check: Awaited<ReturnType<typeof protectionCheck>>;
    try {
      check = await protectionCheck(odb, accepted, options.protection);
    } catch (e) {
      await writer?.abort();
      throw e;
    }
    stored = await publishPack(target, accepted, published, { atomic, check });
    const done = new Set(stored.filter((r) => r.ok).map((r) => r.name));
    if (done.size > 0) options.onRefsUpdated?.(commands.filter((c) => done.has(c.name)));
  } else {
    await writer?.abort();
  }
  const byName = new Map(stored.map((r) => [r.name, r]));
  return commands.map((c): RefCommandResult => {
    const reason = rejected.get(c.name);
    if (reason !== undefined) return { name: c.name, ok: false, reason };
    if (atomic && rejected.size > 0)
      return { name: c.name, ok: false, reason: describeRejection(c.name, { code: 'ATOMIC' }) };
    return byName.get(c.name) ?? { name: c.name, ok: false, reason: 'not updated' };
  });
}
