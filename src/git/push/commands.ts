/** receive-pack's own checks of a push's ref commands, and the commands as the ref store takes them. */
import type { ObjectDatabase } from '../odb';
import { screenRefCommands } from '../refs/plan';
import { describeRejection } from '../refs/rejection';
import type { RefCommand } from '../store';
import { ZERO_OID } from '../store';
import { peel } from '../walk/read';

/** Commands refused for their names alone (git's reasons), by ref name; `hiddenRefs` are
 * prefixes refused as git's receive.hideRefs are. */
export function refusedCommands(
  commands: readonly RefCommand[],
  hiddenRefs: readonly string[] = [],
): Map<string, string> {
  const rejected = new Map<string, string>();
  screenRefCommands(commands).forEach((r, i) => {
    if (r) rejected.set(commands[i].name, describeRejection(commands[i].name, r));
  });
  for (const c of commands) {
    if (!rejected.has(c.name) && hiddenRefs.some((prefix) => c.name.startsWith(prefix)))
      rejected.set(c.name, 'deny updating a hidden ref');
  }
  return rejected;
}

/**
 * The commands not rejected, each new tip that is a tag with the commit it peels to, any other
 * marked as no tag. A branch
 * set to anything but a commit is added to `rejected`, in the words of git's ref backend: C git
 * refuses it, and every page, merge and webhook reads a branch's tip as a commit.
 */
export async function peeledCommands(
  odb: ObjectDatabase,
  commands: readonly RefCommand[],
  rejected: Map<string, string>,
): Promise<RefCommand[]> {
  const accepted: RefCommand[] = [];
  for (const c of commands) {
    if (rejected.has(c.name)) continue;
    if (c.newOid === ZERO_OID) {
      accepted.push(c);
      continue;
    }
    const p = await peel(odb, c.newOid);
    if (c.name.startsWith('refs/heads/') && (p.tags.length > 0 || p.type !== 'commit')) {
      rejected.set(c.name, `trying to write non-commit object ${c.newOid} to branch '${c.name}'`);
      continue;
    }
    // The store keeps either, so listings never look the object up to learn it again.
    accepted.push(p.tags.length > 0 ? { ...c, peeled: p.oid } : { ...c, notTag: true });
  }
  return accepted;
}
