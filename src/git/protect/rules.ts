/**
 * Branch protection rules, Gitea's: which rule covers a branch (plain names before globs, then the
 * oldest first, as Gitea sorts them), what it refuses of a push (deletion, force pushes, pushers
 * outside the allowlist) and of a pull request's merge (approvals, rejected reviews, status
 * checks). Pure: the rows come from the metadata database, the verdicts are applied by the ref
 * planner's `check` (see guard.ts).
 */
import { compileGlob, isGlob } from './glob';

export interface BranchRule {
  /** A branch name or glob (glob.ts). */
  readonly ruleName: string;
  /** Creation order: among plain names or among globs, the oldest rule wins. */
  readonly id: number;
  readonly enablePush: boolean;
  readonly enablePushWhitelist: boolean;
  readonly pushWhitelistUsernames: readonly string[];
  readonly enableForcePush: boolean;
  readonly requiredApprovals: number;
  readonly enableStatusCheck: boolean;
  readonly statusCheckContexts: readonly string[];
  readonly blockOnRejectedReviews: boolean;
  readonly dismissStaleApprovals: boolean;
}

export const STATUS_STATES = ['pending', 'success', 'error', 'failure', 'warning'] as const;
export type StatusState = (typeof STATUS_STATES)[number];

/** Worst first: a combined state is the worst of its contexts' latest states. */
const WORST_FIRST: readonly StatusState[] = ['failure', 'error', 'warning', 'pending', 'success'];

/** The combined state of the latest status of each context (null: no status at all). */
export function combineStates(states: Iterable<StatusState>): StatusState | null {
  let worst: number | null = null;
  for (const s of states) {
    const rank = WORST_FIRST.indexOf(s);
    if (worst === null || rank < worst) worst = rank;
  }
  return worst === null ? null : WORST_FIRST[worst];
}

/** The rule covering `branch` (a short name), if any. */
export function ruleFor(rules: readonly BranchRule[], branch: string): BranchRule | undefined {
  const ordered = [...rules].sort(
    (a, b) => Number(isGlob(a.ruleName)) - Number(isGlob(b.ruleName)) || a.id - b.id,
  );
  return ordered.find((r) => (isGlob(r.ruleName) ? compileGlob(r.ruleName)(branch) : r.ruleName === branch));
}

/** What a pushed ref update is, as the rules judge it. */
export interface BranchMove {
  readonly branch: string;
  readonly kind: 'create' | 'update' | 'delete';
  /** The old tip is an ancestor of the new one (meaningless for create and delete). */
  readonly fastForward: boolean;
}

const tail = (rule: BranchRule) => ` (rule '${rule.ruleName}')`;

/** Why `pusher` (a login) may not make this move by `git push` or the API, or undefined. */
export function refusePush(rule: BranchRule, move: BranchMove, pusher: string): string | undefined {
  if (move.kind === 'delete') return `branch '${move.branch}' may not be deleted${tail(rule)}`;
  if (!rule.enablePush) return `pushes to '${move.branch}' are refused; merge a pull request${tail(rule)}`;
  if (rule.enablePushWhitelist) {
    const me = pusher.toLowerCase();
    if (!rule.pushWhitelistUsernames.some((u) => u.toLowerCase() === me))
      return `'${pusher}' may not push to '${move.branch}'${tail(rule)}`;
  }
  if (move.kind === 'update' && !move.fastForward && !rule.enableForcePush)
    return `force pushes to '${move.branch}' are refused${tail(rule)}`;
  return undefined;
}

/** What a pull request's merge is judged by: its head commit's reviews and statuses. */
export interface MergeFacts {
  /** Approvals by reviewers with write access, on the head commit when stale ones are dismissed. */
  readonly approvals: number;
  /** A reviewer with write access requests changes (latest review of each reviewer). */
  readonly rejected: boolean;
  /** The latest state of each status context on the head commit. */
  readonly statuses: Readonly<Record<string, StatusState>>;
}

/** Why the rule refuses merging a pull request into its branch, or undefined. */
export function refuseMerge(rule: BranchRule, facts: MergeFacts): string | undefined {
  if (facts.approvals < rule.requiredApprovals) {
    const s = rule.requiredApprovals === 1 ? '' : 's';
    return `${rule.requiredApprovals} approval${s} required, ${facts.approvals} given${tail(rule)}`;
  }
  if (rule.blockOnRejectedReviews && facts.rejected) return `changes were requested${tail(rule)}`;
  if (rule.enableStatusCheck) {
    const unmet = rule.statusCheckContexts.filter((pattern) => {
      const matches = compileGlob(pattern);
      const states = Object.entries(facts.statuses)
        .filter(([context]) => matches(context))
        .map(([, s]) => s);
      return states.length === 0 || combineStates(states) !== 'success';
    });
    if (unmet.length > 0) return `status checks not successful: ${unmet.join(', ')}${tail(rule)}`;
  }
  return undefined;
}
