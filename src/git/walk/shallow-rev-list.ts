/**
 * Shallow fetches bounded by a date or by refs (`deepen-since`, `deepen-not`): git computes
 * these with `rev-list --max-age=T wants --not refs` and makes every listed commit with an
 * unlisted parent a boundary. Client boundaries that land inside the new history are lifted.
 */
import { GitError } from '../errors';
import type { Oid } from '../store';
import { walkCommits } from './commits';
import { readCommitLinks, type WalkOdb } from './read';
import type { ShallowPlan } from './shallow';

export interface RevListDeepen {
  /** `deepen-since`: keep commits whose committer time is at least this (seconds). */
  readonly since?: number;
  /** `deepen-not`: leave out commits reachable from these commits. */
  readonly not?: readonly Oid[];
}

/** The bound selects nothing at all (git: "no commits selected for shallow requests"). */
export class ShallowError extends GitError {
  constructor(message: string) {
    super('SHALLOW_EMPTY', message);
    this.name = 'ShallowError';
  }
}

export async function planShallowByRevList(
  odb: WalkOdb,
  wants: readonly Oid[],
  bound: RevListDeepen,
  clientShallow: ReadonlySet<Oid>,
): Promise<ShallowPlan> {
  // deepen-not: the commits of `wants --not refs`, computed once with the ordinary walk.
  const allowed =
    bound.not && bound.not.length > 0 ? new Set((await walkCommits(odb, wants, bound.not)).commits) : null;
  const parentsOf = new Map<Oid, readonly Oid[]>();
  const selected = new Set<Oid>();
  const stack = [...new Set(wants)];
  while (stack.length > 0) {
    const oid = stack.pop() as Oid;
    if (selected.has(oid) || parentsOf.has(oid)) continue;
    const links = await readCommitLinks(odb, oid);
    parentsOf.set(oid, links.parents);
    if (allowed !== null && !allowed.has(oid)) continue;
    // Like rev-list --max-age without limiting: an old commit is skipped with its parents.
    if (bound.since !== undefined && links.time < bound.since) continue;
    selected.add(oid);
    for (const p of links.parents) if (!parentsOf.has(p)) stack.push(p);
  }
  if (selected.size === 0) throw new ShallowError('no commits selected for shallow requests');

  const boundary: Oid[] = [];
  for (const c of selected) {
    if ((parentsOf.get(c) ?? []).some((p) => !selected.has(p))) boundary.push(c);
  }
  const boundarySet = new Set(boundary);
  const unshallow: Oid[] = [];
  const extraWants: Oid[] = [];
  for (const c of clientShallow) {
    if (!selected.has(c) || boundarySet.has(c)) continue;
    unshallow.push(c);
    extraWants.push(...(parentsOf.get(c) ?? []));
  }
  const grafts = new Set<Oid>(boundary);
  for (const c of clientShallow) grafts.add(c);
  return {
    shallow: boundary.filter((c) => !clientShallow.has(c)),
    unshallow,
    grafts,
    extraWants,
  };
}
