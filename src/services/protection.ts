/**
 * Branch protection as the surfaces hand it to the repository's object: the repository's rules
 * (metadata database) with who pushes, and for a pull request's merge, its reviews and statuses
 * on the head commit. The object's ref planner applies them (git/protect/guard.ts).
 */
import { type MirrorRecord, mirrorFromRows, mirrorStatement } from '../db/mirrors';
import { listRules, type ProtectionRecord, rulesFromRows, rulesStatement } from '../db/protection';
import { listReviews, type ReviewRecord } from '../db/reviews';
import { latestStatuses, type StatusRecord } from '../db/statuses';
import type { Protection } from '../git/protect/guard';
import {
  type BranchRule,
  combineStates,
  type MergeFacts,
  ruleFor,
  type StatusState,
} from '../git/protect/rules';

/** The rules for a push (or a branch deletion) by `pusher`; undefined when there are none. */
export async function pushProtection(
  db: D1Database,
  repoId: number,
  pusher: string,
): Promise<Protection | undefined> {
  const rules = await listRules(db, repoId);
  return rules.length > 0 ? { rules: rules.map(plainRule), pusher } : undefined;
}

/**
 * What a push needs of the metadata database: the repository's mirror record (a pull mirror or a
 * migration refuses pushes) and, for the push itself (`withRules`), the rules, in one round trip.
 */
export async function pushGate(
  db: D1Database,
  repoId: number,
  pusher: string,
  withRules: boolean,
): Promise<{ mirror: MirrorRecord | null; protection: Protection | undefined }> {
  if (!withRules) {
    const { results } = await mirrorStatement(db, repoId).all();
    return { mirror: mirrorFromRows(results), protection: undefined };
  }
  const [mirror, rules] = await db.batch([mirrorStatement(db, repoId), rulesStatement(db, repoId)]);
  const list = rulesFromRows(rules.results);
  return {
    mirror: mirrorFromRows(mirror.results),
    protection: list.length > 0 ? { rules: list.map(plainRule), pusher } : undefined,
  };
}

/** What the rules read of a record (a plain object, as RPC carries it). */
function plainRule(r: ProtectionRecord): BranchRule {
  const { createdAt: _c, updatedAt: _u, ...rule } = r;
  return rule;
}

/** Each reviewer's current review: their latest approval or request for changes. */
export function currentReviews(reviews: readonly ReviewRecord[]): ReviewRecord[] {
  const latest = new Map<number, ReviewRecord>();
  for (const r of reviews) {
    if (r.state !== 'COMMENT' && r.reviewerId !== null) latest.set(r.reviewerId, r);
  }
  return [...latest.values()];
}

/** An approval made on an older head commit, which the rule dismisses. */
export function isDismissed(review: ReviewRecord, headSha: string, rule: BranchRule | undefined): boolean {
  return review.state === 'APPROVED' && review.commitId !== headSha && !!rule?.dismissStaleApprovals;
}

export interface PullFacts {
  readonly rule: BranchRule | undefined;
  readonly facts: MergeFacts;
  /** Every review, oldest first, and the latest status of each context on the head. */
  readonly reviews: ReviewRecord[];
  readonly statuses: StatusRecord[];
}

/** A pull request's standing against its base branch's rule. */
export async function pullFacts(
  db: D1Database,
  repoId: number,
  pull: { readonly issueId: number; readonly baseBranch: string; readonly headSha: string },
): Promise<PullFacts & { readonly rules: BranchRule[] }> {
  const [rules, reviews, statuses] = await Promise.all([
    listRules(db, repoId),
    listReviews(db, pull.issueId),
    latestStatuses(db, repoId, [pull.headSha]),
  ]);
  const rule = ruleFor(rules, pull.baseBranch);
  const current = currentReviews(reviews).filter((r) => r.official);
  const facts: MergeFacts = {
    approvals: current.filter((r) => r.state === 'APPROVED' && !isDismissed(r, pull.headSha, rule)).length,
    rejected: current.some((r) => r.state === 'REQUEST_CHANGES'),
    statuses: Object.fromEntries(statuses.map((s): [string, StatusState] => [s.context, s.state])),
  };
  return { rules: rules.map(plainRule), rule, facts, reviews, statuses };
}

/** The combined status of each of `shas` that has any (for marks beside commits and branches). */
export async function combinedStatuses(
  db: D1Database,
  repoId: number,
  shas: readonly string[],
): Promise<Record<string, StatusState>> {
  const bySha = new Map<string, StatusState[]>();
  for (const s of await latestStatuses(db, repoId, shas))
    bySha.set(s.sha, [...(bySha.get(s.sha) ?? []), s.state]);
  const out: Record<string, StatusState> = {};
  for (const [sha, states] of bySha) out[sha] = combineStates(states) ?? 'pending';
  return out;
}

/** The protection a merge is published under (undefined when no rule exists). */
export function mergeProtection(
  p: { readonly rules: BranchRule[]; readonly facts: MergeFacts },
  merger: string,
): Protection | undefined {
  return p.rules.length > 0 ? { rules: p.rules, pusher: merger, merge: p.facts } : undefined;
}
