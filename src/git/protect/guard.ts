/**
 * Branch protection as the ref planner's `check` (refs/plan.ts): every ref move (a push, a
 * pull request's merge, a branch deleted through the API) passes the repository's rules in the
 * same transaction that writes it. Whether an update fast-forwards needs history, so it is
 * computed here first, for the protected branches only.
 */
import { MergeError } from '../merge/errors';
import { isAncestor } from '../merge/merge-bases';
import type { MergeOdb } from '../merge/objects';
import type { PlannedUpdate } from '../refs/plan';
import type { RuleRejection } from '../refs/rejection';
import type { RefCommand } from '../store';
import { ZERO_OID } from '../store';
import { type BranchRule, type MergeFacts, refuseMerge, refusePush, ruleFor } from './rules';

/** The rules and who moves the refs; with `merge`, the move is a pull request's merge. */
export interface Protection {
  readonly rules: readonly BranchRule[];
  /** The pusher's login. */
  readonly pusher: string;
  /** A merge is judged by its pull request's reviews and statuses, not by the push allowlist. */
  readonly merge?: MergeFacts;
}

export type RefCheck = (update: PlannedUpdate) => RuleRejection | undefined;

const BRANCH = 'refs/heads/';

/** The planner's check for these commands under `protection` (undefined when nothing is protected). */
export async function protectionCheck(
  odb: MergeOdb,
  commands: readonly RefCommand[],
  protection: Protection | undefined,
): Promise<RefCheck | undefined> {
  if (!protection || protection.rules.length === 0) return undefined;
  const fastForward = new Set<string>();
  // A merge is judged by its pull request, not by ancestry (its new commit is not stored yet).
  for (const c of protection.merge ? [] : commands) {
    if (!c.name.startsWith(BRANCH) || c.oldOid === ZERO_OID || c.newOid === ZERO_OID) continue;
    if (!ruleFor(protection.rules, c.name.slice(BRANCH.length))) continue;
    if (await fastForwards(odb, c.oldOid, c.newOid)) fastForward.add(c.name);
  }
  return (u) => {
    if (!u.name.startsWith(BRANCH)) return undefined;
    const branch = u.name.slice(BRANCH.length);
    const rule = ruleFor(protection.rules, branch);
    if (!rule) return undefined;
    const reason = protection.merge
      ? refuseMerge(rule, protection.merge)
      : refusePush(rule, { branch, kind: u.kind, fastForward: fastForward.has(u.name) }, protection.pusher);
    return reason === undefined ? undefined : { code: 'DECLINED', reason: `protected branch: ${reason}` };
  };
}

/** Whether `from` is an ancestor of `to`; a history too long to tell counts as a force push. */
async function fastForwards(odb: MergeOdb, from: string, to: string): Promise<boolean> {
  try {
    return await isAncestor(odb, from, to);
  } catch (e) {
    if (e instanceof MergeError) return false;
    throw e;
  }
}
