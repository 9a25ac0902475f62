/** Which shallow plan a fetch needs: by count, relative to the client's boundary, or by rev-list. */
import type { Oid } from '../store';
import { walkCommits } from './commits';
import type { WalkOdb } from './read';
import { planShallow, type ShallowPlan } from './shallow';
import { planShallowByRevList, type RevListDeepen } from './shallow-rev-list';

export interface DeepenOptions {
  readonly depth?: number;
  readonly deepenRelative?: boolean;
  readonly deepenBy?: RevListDeepen;
  readonly clientShallow?: readonly Oid[];
}

/**
 * The shallow plan of a deepening fetch, or null when the fetch does not deepen. `wants` are
 * the wanted commits, peeled, including the ones the client already has.
 */
export async function planDeepen(
  odb: WalkOdb,
  wants: readonly Oid[],
  options: DeepenOptions,
): Promise<ShallowPlan | null> {
  const clientShallow = new Set(options.clientShallow ?? []);
  if (options.deepenBy) return planShallowByRevList(odb, wants, options.deepenBy, clientShallow);
  const depth = options.depth ?? 0;
  if (depth <= 0) return null;
  if (options.deepenRelative) {
    // N more commits below each boundary the wants reach, as git counts it (depth + 1 from the
    // boundary commits themselves).
    return planShallow(odb, await reachableShallows(odb, wants, clientShallow), depth + 1, clientShallow);
  }
  return planShallow(odb, wants, depth, clientShallow);
}

/**
 * The client's boundaries that the wants reach (git's get_reachable_list), found by walking
 * the client's own history: deepen-relative counts from these only.
 */
async function reachableShallows(
  odb: WalkOdb,
  wants: readonly Oid[],
  clientShallow: ReadonlySet<Oid>,
): Promise<Oid[]> {
  if (clientShallow.size === 0) return [];
  const walk = await walkCommits(odb, wants, [], { grafts: clientShallow });
  return walk.commits.filter((c) => clientShallow.has(c));
}
