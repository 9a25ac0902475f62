/**
 * The ref-update rules, once for every store (as git's ref transaction code serves files,
 * packed-refs and reftable alike): given what the refs are and a batch of commands, which
 * commands apply, why each other one is refused, and where HEAD points afterwards. A store reads
 * the rows this asks for, and writes what it returns, inside one transaction.
 */
import { isValidRefName } from '../refname';
import type { Oid, RefCommand, RefCommandResult } from '../store';
import { ZERO_OID } from '../store';
import { describeRejection, type RefRejection, type RuleRejection } from './rejection';

/** What the planner reads of the stored refs (a store answers from its rows, in its transaction). */
export interface RefView {
  /** The ref's value, or null when it does not exist. */
  get(name: string): Oid | null;
  /** The refs strictly under `name/` (those that make `name` a directory); read lazily. */
  below(name: string): Iterable<string>;
  /** Whether no ref exists at all. */
  isEmpty(): boolean;
}

/** One command as the rules see it, with the ref's actual value. */
export interface PlannedUpdate {
  readonly name: string;
  /** The ref's value before the batch (all zeros when it does not exist). */
  readonly oldOid: Oid;
  /** All zeros to delete. */
  readonly newOid: Oid;
  readonly kind: 'create' | 'update' | 'delete';
}

export interface PlanOptions {
  /** All commands apply or none does (`git push --atomic`). */
  readonly atomic: boolean;
  /** The ref HEAD points to now (e.g. refs/heads/main), whether or not it exists. */
  readonly head: string;
  /**
   * A repository rule, asked about each command that passed the ref rules (branch protection
   * plugs in here). Runs inside the store's transaction, so it must be synchronous: what it needs
   * from history (is this a fast-forward?) is computed before.
   */
  readonly check?: (update: PlannedUpdate) => RuleRejection | undefined;
}

export interface RejectedCommand {
  /** The command's position in the batch. */
  readonly index: number;
  readonly name: string;
  readonly rejection: RefRejection;
}

export interface RefPlan {
  /** The commands to apply, in batch order: rows to write (or to delete, for all-zero `newOid`). */
  readonly updates: readonly RefCommand[];
  /** Every other command, with why. */
  readonly rejections: readonly RejectedCommand[];
  /** HEAD's new target when this batch moves it, else null. */
  readonly head: string | null;
}

/**
 * Plan a batch of ref commands, each a compare-and-swap of its old value:
 * - a name not under refs/ or not valid, or named twice in the batch, is refused;
 * - an all-zero old id creates and requires the ref to be absent; another old id must be the
 *   ref's value. A delete with an all-zero old id deletes whatever the ref holds (git's
 *   receive-pack does the same); deleting a ref that does not exist is refused;
 * - a created ref may not be a directory of another ref or sit under one (refs/heads/a and
 *   refs/heads/a/b), counting refs this batch deletes as gone and refs it creates as there;
 * - with `atomic`, one refusal refuses all;
 * - HEAD: when the first update of an empty repository does not create HEAD's target, HEAD moves
 *   to the first branch it creates, in name order (as GitHub does).
 */
export function planRefUpdates(
  view: RefView,
  commands: readonly RefCommand[],
  options: PlanOptions,
): RefPlan {
  const verdicts = screenRefCommands(commands);
  commands.forEach((c, i) => {
    verdicts[i] ??= compareAndSwap(view, c) ?? options.check?.(planned(view, c));
  });
  const deleted = new Set(
    commands.filter((c, i) => !verdicts[i] && c.newOid === ZERO_OID).map((c) => c.name),
  );
  const batch = new BatchNames();
  commands.forEach((c, i) => {
    if (verdicts[i] || c.newOid === ZERO_OID || c.oldOid !== ZERO_OID) return;
    verdicts[i] = nameConflict(view, c.name, deleted, batch);
    if (!verdicts[i]) batch.add(c.name);
  });
  const failed = verdicts.some((v) => v);
  const rejections: RejectedCommand[] = [];
  const updates: RefCommand[] = [];
  commands.forEach((c, i) => {
    const rejection = verdicts[i] ?? (options.atomic && failed ? { code: 'ATOMIC' as const } : undefined);
    if (rejection) rejections.push({ index: i, name: c.name, rejection });
    else updates.push(c);
  });
  return { updates, rejections, head: headAfter(view, updates, options.head) };
}

/**
 * The rules that need no stored state (a valid name, once per batch), by position; receive-pack
 * applies them before checking a push's objects.
 */
export function screenRefCommands(commands: readonly RefCommand[]): (RefRejection | undefined)[] {
  const count = new Map<string, number>();
  for (const c of commands) count.set(c.name, (count.get(c.name) ?? 0) + 1);
  return commands.map((c) => {
    if (!c.name.startsWith('refs/') || !isValidRefName(c.name)) return { code: 'INVALID_NAME' };
    if ((count.get(c.name) ?? 0) > 1) return { code: 'DUPLICATE' };
    return undefined;
  });
}

/** Each command's result, in batch order, as the report-status gives it. */
export function planResults(commands: readonly RefCommand[], plan: RefPlan): RefCommandResult[] {
  const refused = new Map(plan.rejections.map((r) => [r.index, r.rejection]));
  return commands.map((c, i) => {
    const r = refused.get(i);
    return r
      ? { name: c.name, ok: false, code: r.code, reason: describeRejection(c.name, r) }
      : { name: c.name, ok: true };
  });
}

function compareAndSwap(view: RefView, c: RefCommand): RefRejection | undefined {
  const actual = view.get(c.name);
  if (c.oldOid === ZERO_OID) {
    if (c.newOid === ZERO_OID) return actual === null ? { code: 'MISSING' } : undefined;
    return actual === null ? undefined : { code: 'ALREADY_EXISTS' };
  }
  if (actual === null) return { code: 'MISSING' };
  return actual === c.oldOid ? undefined : { code: 'INCORRECT_OLD_VALUE', actual, expected: c.oldOid };
}

function planned(view: RefView, c: RefCommand): PlannedUpdate {
  const oldOid = view.get(c.name) ?? ZERO_OID;
  const kind = c.newOid === ZERO_OID ? 'delete' : oldOid === ZERO_OID ? 'create' : 'update';
  return { name: c.name, oldOid, newOid: c.newOid, kind };
}

/** Names created earlier in the batch, and the directories they make. */
class BatchNames {
  private readonly names = new Set<string>();
  private readonly dirs = new Map<string, string>();

  add(name: string): void {
    this.names.add(name);
    for (const dir of parents(name)) if (!this.dirs.has(dir)) this.dirs.set(dir, name);
  }

  /** A name of the batch that `name` would be a directory of, or sit under. */
  conflict(name: string): string | undefined {
    return this.dirs.get(name) ?? parents(name).find((p) => this.names.has(p));
  }
}

function nameConflict(
  view: RefView,
  name: string,
  deleted: ReadonlySet<string>,
  batch: BatchNames,
): RefRejection | undefined {
  for (const dir of parents(name)) {
    if (!deleted.has(dir) && view.get(dir) !== null)
      return { code: 'NAME_CONFLICT', other: dir, inBatch: false };
  }
  for (const under of view.below(name)) {
    if (!deleted.has(under)) return { code: 'NAME_CONFLICT', other: under, inBatch: false };
  }
  const other = batch.conflict(name);
  return other === undefined ? undefined : { code: 'NAME_CONFLICT', other, inBatch: true };
}

/** The directories a ref name sits in, below refs/ (refs/heads, refs/heads/a for refs/heads/a/b). */
function parents(name: string): string[] {
  const parts = name.split('/');
  const out: string[] = [];
  for (let i = 2; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

function headAfter(view: RefView, updates: readonly RefCommand[], head: string): string | null {
  if (updates.length === 0 || !view.isEmpty()) return null;
  const created = updates.filter((u) => u.newOid !== ZERO_OID).map((u) => u.name);
  if (created.includes(head)) return null;
  const branches = created.filter((n) => n.startsWith('refs/heads/')).sort();
  return branches[0] ?? null;
}
