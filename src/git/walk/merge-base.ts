/**
 * Merge bases as git computes them (commit-reach.c: paint_down_to_common, remove_redundant):
 * paint both tips' histories down at once, highest generation first (then newest), and stop once
 * every commit still queued lies below a common one. Reads the commits above the bases and a
 * few below, not either whole history.
 */
import type { CommitLinks, Oid } from '../store';
import { DateQueue } from './date-queue';
import { readCommitLinks, type WalkOdb } from './read';

/** Reachable from the first tip. */
const PARENT1 = 1;
/** Reachable from one of the other tips. */
const PARENT2 = 2;
/** Below a common ancestor: whatever it reaches is not a best base. */
const STALE = 4;
/** Listed as a candidate already. */
const RESULT = 8;

/** Commit links read during one merge-base computation (several walks read the same commits). */
type LinksCache = Map<Oid, CommitLinks>;

async function linksOf(odb: WalkOdb, cache: LinksCache, oid: Oid): Promise<CommitLinks> {
  let links = cache.get(oid);
  if (links === undefined) {
    links = await readCommitLinks(odb, oid);
    cache.set(oid, links);
  }
  return links;
}

interface Painted {
  readonly flags: Map<Oid, number>;
  /** Commits found reachable from both sides, in the order found. */
  readonly common: Oid[];
}

/**
 * Paint PARENT1 down from `one` and PARENT2 from `twos`; a commit reached by both is common and
 * what lies below it STALE. Ends when every queued commit is STALE, or when the queue's best
 * generation is below `minGeneration` (0: no such floor). Null when more than `limit` commits
 * would be painted.
 */
async function paintDownToCommon(
  odb: WalkOdb,
  cache: LinksCache,
  one: Oid,
  twos: readonly Oid[],
  minGeneration: number,
  limit: number,
): Promise<Painted | null> {
  const flags = new Map<Oid, number>();
  const common: Oid[] = [];
  const queue = new DateQueue();
  const queued = new Set<Oid>();
  // Queued commits not STALE: the walk goes on while there is one.
  let live = 0;

  // A commit given new flags is queued again (unless still queued), so that they reach its
  // parents even when the dates brought it up before a descendant.
  const paint = async (oid: Oid, add: number): Promise<boolean> => {
    const before = flags.get(oid) ?? 0;
    const after = before | add;
    if (after === before) return true;
    if (!flags.has(oid) && flags.size >= limit) return false;
    const links = await linksOf(odb, cache, oid);
    flags.set(oid, after);
    if (queued.has(oid)) {
      if (!(before & STALE) && after & STALE) live--;
      return true;
    }
    queued.add(oid);
    queue.push({ oid, time: links.time, generation: links.generation });
    if (!(after & STALE)) live++;
    return true;
  };

  if (!(await paint(one, PARENT1))) return null;
  for (const t of twos) if (!(await paint(t, PARENT2))) return null;

  while (live > 0) {
    const item = queue.pop();
    if (item === undefined) break;
    queued.delete(item.oid);
    const f = flags.get(item.oid) ?? 0;
    if (!(f & STALE)) live--;
    // Known generations: nothing below this one is of interest to the caller.
    if ((item.generation ?? Number.POSITIVE_INFINITY) < minGeneration) break;
    let down = f & (PARENT1 | PARENT2 | STALE);
    if (down === (PARENT1 | PARENT2)) {
      if (!(f & RESULT)) {
        flags.set(item.oid, f | RESULT);
        common.push(item.oid);
      }
      down |= STALE;
    }
    for (const p of (await linksOf(odb, cache, item.oid)).parents) {
      if (((flags.get(p) ?? 0) & down) === down) continue;
      if (!(await paint(p, down))) return null;
    }
  }
  return { flags, common };
}

/** Newest first, commits of equal time in the order given (git's commit_list_insert_by_date). */
async function byDate(odb: WalkOdb, cache: LinksCache, oids: readonly Oid[]): Promise<Oid[]> {
  const times = new Map<Oid, number>();
  for (const o of oids) times.set(o, (await linksOf(odb, cache, o)).time);
  return [...oids].sort((x, y) => (times.get(y) as number) - (times.get(x) as number));
}

/**
 * Leave out the commits of `candidates` reachable from another one. Each walk paints one
 * candidate against the rest and stops below the lowest generation among them (none of them can
 * be reached from a commit of lower generation). Null when a walk passes `limit` commits.
 */
async function removeRedundant(
  odb: WalkOdb,
  cache: LinksCache,
  candidates: readonly Oid[],
  limit: number,
): Promise<Oid[] | null> {
  const redundant = new Set<Oid>();
  for (const c of candidates) {
    if (redundant.has(c)) continue;
    const others = candidates.filter((o) => o !== c && !redundant.has(o));
    let minGeneration = Number.POSITIVE_INFINITY;
    for (const o of [c, ...others]) {
      minGeneration = Math.min(
        minGeneration,
        (await linksOf(odb, cache, o)).generation ?? Number.POSITIVE_INFINITY,
      );
    }
    // No generation known among them: no floor (the walk ends when all it queued is STALE).
    if (minGeneration === Number.POSITIVE_INFINITY) minGeneration = 0;
    const painted = await paintDownToCommon(odb, cache, c, others, minGeneration, limit);
    if (painted === null) return null;
    if ((painted.flags.get(c) ?? 0) & PARENT2) redundant.add(c);
    for (const o of others) if ((painted.flags.get(o) ?? 0) & PARENT1) redundant.add(o);
  }
  return candidates.filter((c) => !redundant.has(c));
}

/**
 * The best common ancestors of `one` and `two` (`git merge-base --all`), in git's order: newest
 * first, so the first is what `git merge-base` prints. Empty for unrelated histories; null when a
 * walk would read more than `limit` commits.
 */
export async function bestMergeBases(odb: WalkOdb, one: Oid, two: Oid, limit: number): Promise<Oid[] | null> {
  if (one === two) return [one];
  const cache: LinksCache = new Map();
  const painted = await paintDownToCommon(odb, cache, one, [two], 0, limit);
  if (painted === null) return null;
  // A commit found common before the STALE paint of a common descendant reached it is not best.
  const found = painted.common.filter((c) => !((painted.flags.get(c) ?? 0) & STALE));
  const candidates = await byDate(odb, cache, found);
  if (candidates.length <= 1) return candidates;
  return removeRedundant(odb, cache, candidates, limit);
}
