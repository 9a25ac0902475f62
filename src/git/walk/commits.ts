/**
 * The commit part of `git rev-list wants --not haves`: a walk by commit date that stops once
 * only uninteresting commits remain: at once where generation numbers prove that none of them
 * reaches a commit listed, else after a few more (for clock skew, like git's SLOP).
 */
import { IdList } from '../id-list';
import { Pacer } from '../pacer';
import type { Oid } from '../store';
import { CommitRows, RowList } from './commit-rows';
import { DateQueue } from './date-queue';
import { readCommitLinks, type WalkOdb } from './read';

/** Marks of a row (see CommitRows; KNOWN is 1): parsed; reachable from a have; in the queue. */
const SEEN = 2;
const UNINTERESTING = 4;
const QUEUED = 8;
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
  /** Commits reachable from wants and not from haves, newest first (as hex: see `sent`). */
  readonly commits: Oid[];
  /**
   * The same commits as 20-byte ids, and beside them each one's tree: a walk of a whole history
   * lists every commit, and hex strings of both cost ~120 bytes a commit more.
   */
  readonly sent: IdList;
  readonly sentTrees: IdList;
  /**
   * Uninteresting commits whose trees the client has and which border the sent ones: the
   * uninteresting parents of sent commits (git's "edges"), and the haves when aggressive.
   */
  readonly edges: Oid[];
  /** The tree of each edge (its keys are `edges`). */
  readonly edgeTrees: ReadonlyMap<Oid, Oid>;
}

export async function walkCommits(
  odb: WalkOdb,
  wants: readonly Oid[],
  haves: readonly Oid[],
  options: CommitWalkOptions = {},
): Promise<CommitWalk> {
  const rows = new CommitRows();
  const queue = new DateQueue();
  const grafts = options.grafts ?? new Set<Oid>();
  let interestingQueued = 0;

  // Propagate UNINTERESTING through commits already parsed (iteratively; histories are deep).
  const markUninteresting = (start: number): void => {
    const stack = [start];
    while (stack.length > 0) {
      const row = stack.pop() as number;
      const f = rows.marks(row);
      if (f & UNINTERESTING) continue;
      rows.mark(row, UNINTERESTING);
      if (f & QUEUED) interestingQueued--;
      for (const p of rows.parentsOf(row)) if (rows.marks(p) & SEEN) stack.push(p);
    }
  };

  const push = async (row: number, uninteresting: boolean): Promise<void> => {
    const f = rows.marks(row);
    if (f & SEEN) {
      if (uninteresting && !(f & UNINTERESTING)) markUninteresting(row);
      return;
    }
    const oid = rows.oidOf(row);
    const links = await readCommitLinks(odb, oid);
    rows.setLinks(row, links.tree, grafts.has(oid) ? [] : links.parents, links.generation);
    rows.mark(row, SEEN | QUEUED | (uninteresting ? UNINTERESTING : 0));
    if (!uninteresting) interestingQueued++;
    queue.push({ oid, time: links.time });
  };

  for (const h of haves) await push(rows.row(h), true);
  for (const w of wants) await push(rows.row(w), false);

  const listed = new RowList();
  // The lowest generation among the commits listed (undefined once one has none).
  let listedFloor: number | undefined = Number.POSITIVE_INFINITY;
  const generationOf = (oid: Oid) => {
    const row = rows.rowOf(oid);
    return row < 0 ? undefined : rows.generationOf(row);
  };
  let slop = SLOP;
  const pacer = new Pacer();
  while (queue.size > 0) {
    const pause = pacer.tick();
    if (pause) await pause;
    if (interestingQueued === 0 && settled(queue, generationOf, listedFloor) === true) break;
    const item = queue.pop();
    if (!item) break;
    const row = rows.rowOf(item.oid);
    rows.unmark(row, QUEUED);
    const uninteresting = (rows.marks(row) & UNINTERESTING) !== 0;
    if (!uninteresting) interestingQueued--;
    // A copy: pushing a parent adds rows, which may move the parents' column.
    for (const p of [...rows.parentsOf(row)]) await push(p, uninteresting);
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
    listed.push(row);
    const g = rows.generationOf(row);
    listedFloor = g === undefined || listedFloor === undefined ? undefined : Math.min(listedFloor, g);
  }

  const sent = new IdList();
  const sentTrees = new IdList();
  const edges = new Set<Oid>();
  if (options.aggressiveEdges) {
    for (const h of haves) {
      const row = rows.rowOf(h);
      if (row >= 0 && rows.marks(row) & SEEN) edges.add(h);
    }
  }
  // Only the parents, as git's rev-list: a fetch sends 16 or more haves, and the tree walk reads
  // each edge's trees along the changed paths (16 root trees for one new commit).
  for (let i = 0; i < listed.length; i++) {
    const row = listed.at(i);
    if (rows.marks(row) & UNINTERESTING) continue;
    sent.push(rows.oidOf(row));
    sentTrees.push(rows.treeOf(row));
    for (const p of rows.parentsOf(row)) if (rows.marks(p) & UNINTERESTING) edges.add(rows.oidOf(p));
  }
  const edgeTrees = new Map<Oid, Oid>();
  for (const e of edges) edgeTrees.set(e, rows.treeOf(rows.rowOf(e)));
  return walkResult(sent, sentTrees, edgeTrees);
}

/**
 * Made outside walkCommits: a closure made there shares its scope with the walk's own closures,
 * and so would keep the rows alive as long as the result (a walk's rows are ~80 bytes a commit).
 */
function walkResult(sent: IdList, sentTrees: IdList, edgeTrees: Map<Oid, Oid>): CommitWalk {
  // Hex strings of the commits only when asked for.
  let commits: Oid[] | undefined;
  return {
    get commits() {
      commits ??= [...sent];
      return commits;
    },
    sent,
    sentTrees,
    edges: [...edgeTrees.keys()],
    edgeTrees,
  };
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
