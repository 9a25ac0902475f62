/**
 * The commit part of `git rev-list wants --not haves`: a walk by commit date that stops once
 * only uninteresting commits remain: at once where generation numbers prove that none of them
 * reaches a commit listed, else after a few more (for clock skew, like git's SLOP).
 */
import type { Oid } from '../store';
import { DateQueue } from './date-queue';
import { readCommitLinks, type WalkOdb } from './read';

const SEEN = 1;
const UNINTERESTING = 2;
/** Extra uninteresting commits walked after everything left is uninteresting (git uses 5). */
const SLOP = 5;

export interface CommitWalkOptions {
  /** Commits whose parents are treated as absent (shallow boundaries, both sides). */
  readonly grafts?: ReadonlySet<Oid>;
  /**
   * Count every have among the edges, not only the sent commits' parents (git's
   * --objects-edge-aggressive, which upload-pack uses for shallow clients).
   */
  readonly aggressiveEdges?: boolean;
}

export interface CommitWalk {
  /** Commits reachable from wants and not from haves, newest first. */
  readonly commits: Oid[];
  /** Tree of each parsed commit (interesting and uninteresting). */
  readonly trees: Map<Oid, Oid>;
  /**
   * Uninteresting commits whose trees the client has and which border the sent ones: the
   * uninteresting parents of sent commits (git's "edges"), and the haves when aggressive.
   */
  readonly edges: Oid[];
}

export async function walkCommits(
  odb: WalkOdb,
  wants: readonly Oid[],
  haves: readonly Oid[],
  options: CommitWalkOptions = {},
): Promise<CommitWalk> {
  const flags = new Map<Oid, number>();
  const parentsOf = new Map<Oid, readonly Oid[]>();
  const trees = new Map<Oid, Oid>();
  const queue = new DateQueue();
  const generations = new Map<Oid, number>();
  const grafts = options.grafts ?? new Set<Oid>();
  let interestingQueued = 0;

  const enqueue = async (oid: Oid, uninteresting: boolean): Promise<void> => {
    const f = flags.get(oid) ?? 0;
    if (f & SEEN) {
      if (uninteresting && !(f & UNINTERESTING)) markUninteresting(oid);
      return;
    }
    const links = await readCommitLinks(odb, oid);
    parentsOf.set(oid, grafts.has(oid) ? [] : links.parents);
    trees.set(oid, links.tree);
    if (links.generation !== undefined) generations.set(oid, links.generation);
    flags.set(oid, SEEN | (uninteresting ? UNINTERESTING : 0));
    if (!uninteresting) interestingQueued++;
    queue.push({ oid, time: links.time });
  };

  // Propagate UNINTERESTING through commits already parsed (iteratively; histories are deep).
  const markUninteresting = (start: Oid): void => {
    const stack = [start];
    while (stack.length > 0) {
      const oid = stack.pop() as Oid;
      const f = flags.get(oid) ?? 0;
      if (f & UNINTERESTING) continue;
      flags.set(oid, f | UNINTERESTING);
      if (queued.has(oid)) interestingQueued--;
      for (const p of parentsOf.get(oid) ?? []) if (flags.has(p)) stack.push(p);
    }
  };
  // Commits in the queue, to keep `interestingQueued` exact when a queued commit is marked.
  const queued = new Set<Oid>();
  const push = async (oid: Oid, uninteresting: boolean): Promise<void> => {
    const before = flags.has(oid);
    await enqueue(oid, uninteresting);
    if (!before) queued.add(oid);
  };

  for (const h of haves) await push(h, true);
  for (const w of wants) await push(w, false);

  const visited: Oid[] = [];
  // The lowest generation among the commits listed (undefined once one has none).
  let listedFloor: number | undefined = Number.POSITIVE_INFINITY;
  const generationOf = (oid: Oid) => generations.get(oid);
  let slop = SLOP;
  while (queue.size > 0) {
    if (interestingQueued === 0 && settled(queue, generationOf, listedFloor) === true) break;
    const item = queue.pop();
    if (!item) break;
    const oid = item.oid;
    queued.delete(oid);
    const uninteresting = ((flags.get(oid) ?? 0) & UNINTERESTING) !== 0;
    if (!uninteresting) interestingQueued--;
    for (const p of parentsOf.get(oid) ?? []) await push(p, uninteresting);
    if (uninteresting) {
      if (interestingQueued > 0) {
        slop = SLOP;
        continue;
      }
      // Known generations say when to stop (the check above); only without them does the slop.
      const end = settled(queue, generationOf, listedFloor);
      if (end === true) break;
      if (end === false || --slop > 0) continue;
      break;
    }
    visited.push(oid);
    const g = generations.get(oid);
    listedFloor = g === undefined || listedFloor === undefined ? undefined : Math.min(listedFloor, g);
  }

  const commits = visited.filter((c) => ((flags.get(c) ?? 0) & UNINTERESTING) === 0);
  // Only the parents, as git's rev-list: a fetch sends 16 or more haves, and the tree walk reads
  // each edge's trees along the changed paths (16 root trees for one new commit).
  const edges = new Set<Oid>(options.aggressiveEdges ? haves.filter((h) => flags.has(h)) : []);
  for (const c of commits) {
    for (const p of parentsOf.get(c) ?? []) if ((flags.get(p) ?? 0) & UNINTERESTING) edges.add(p);
  }
  return { commits, trees, edges: [...edges] };
}

/**
 * Whether no queued commit can reach a listed one, so nothing listed can still turn out to be
 * excluded: a commit reaches only commits of lower generation, and every commit not walked yet
 * lies below a queued one. `listedFloor` is the lowest generation listed. Undefined when a
 * generation is not known (the graph fills them, see generation.ts): the caller's slop decides.
 */
export function settled(
  queue: DateQueue,
  generationOf: (oid: Oid) => number | undefined,
  listedFloor: number | undefined,
): boolean | undefined {
  if (listedFloor === undefined) return undefined;
  let answer = true;
  for (const q of queue.items()) {
    const g = generationOf(q.oid);
    if (g === undefined) return undefined;
    if (g > listedFloor) answer = false;
  }
  return answer;
}
