/**
 * Generation numbers of the commit graph (git's topological levels): filled for the history below
 * some tips, so that walks can stop where reachability is decided instead of where the clocks
 * suggest (see CommitLinks.generation).
 */
import { isGitError } from '../errors';
import type { CommitLinks, Oid } from '../store';
import { readCommitLinks, type WalkOdb } from './read';

export interface FillResult {
  /** Commits given a generation by this fill. */
  readonly filled: number;
  /** Whether every tip has a generation now (false: a commit below is missing, or the budget ran out). */
  readonly complete: boolean;
}

/**
 * Give every commit reachable from `tips` its generation, reading the commits that have none
 * (each once, parsed or from the graph) down to those that have. The first fill of a history
 * reads all of it; later ones read what was added since. Stops without finishing after `budget`
 * commits read (what it filled stays filled), and leaves unknown whatever lies above a missing
 * commit (a damaged or shallow history).
 */
export async function fillGenerations(
  odb: WalkOdb,
  tips: readonly Oid[],
  budget = Number.POSITIVE_INFINITY,
): Promise<FillResult> {
  const graph = odb.commitGraph;
  // Without a graph (a push's database, tests of the engine alone) nothing is kept.
  if (graph === undefined) return { filled: 0, complete: false };
  // Generations learned by this fill, so that a parent's is not asked of the graph again.
  const known = new Map<Oid, number>();
  const generationOf = async (oid: Oid): Promise<number | undefined> =>
    known.get(oid) ?? (await graph.get(oid))?.generation;
  // Commits waiting for their parents (depth first, iteratively: histories are deep).
  const reading = new Map<Oid, CommitLinks>();
  const broken = new Set<Oid>();
  const stack = [...new Set(tips)];
  let filled = 0;
  let read = 0;
  while (stack.length > 0) {
    const oid = stack[stack.length - 1];
    if (known.has(oid) || broken.has(oid)) {
      stack.pop();
      continue;
    }
    let links = reading.get(oid);
    if (links === undefined) {
      if (read >= budget) return { filled, complete: false };
      read++;
      try {
        links = await readCommitLinks(odb, oid);
      } catch (e) {
        if (!isGitError(e)) throw e;
        broken.add(oid);
        stack.pop();
        continue;
      }
      if (links.generation !== undefined) {
        remember(known, oid, links.generation);
        stack.pop();
        continue;
      }
      reading.set(oid, links);
    }
    let highest = 0;
    const pending: Oid[] = [];
    let missing = false;
    for (const p of links.parents) {
      if (broken.has(p)) {
        missing = true;
        break;
      }
      const g = await generationOf(p);
      if (g === undefined) pending.push(p);
      else highest = Math.max(highest, g);
    }
    if (!missing && pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    reading.delete(oid);
    if (missing) {
      broken.add(oid);
      continue;
    }
    await graph.add(oid, { ...links, generation: highest + 1 });
    remember(known, oid, highest + 1);
    filled++;
  }
  return { filled, complete: tips.every((t) => !broken.has(t)) };
}

/** Generations kept in memory during one fill (the graph holds them all; this only saves queries). */
const KNOWN_MAX = 200_000;

function remember(known: Map<Oid, number>, oid: Oid, generation: number): void {
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(oid, generation);
}

/**
 * The generations of `oids`, filling the history below them first (reading at most `budget`
 * commits that have none); null when they cannot all be known (no graph, a missing commit, the
 * budget spent): the caller walks without them.
 */
export async function filledGenerations(
  odb: WalkOdb,
  oids: readonly Oid[],
  budget?: number,
): Promise<Map<Oid, number> | null> {
  const { complete } = await fillGenerations(odb, oids, budget);
  return complete ? generations(odb, oids) : null;
}

/** The generation of each commit when every one is known, else null. */
export async function generations(odb: WalkOdb, oids: readonly Oid[]): Promise<Map<Oid, number> | null> {
  const out = new Map<Oid, number>();
  for (const oid of oids) {
    const g = (await readCommitLinks(odb, oid)).generation;
    if (g === undefined) return null;
    out.set(oid, g);
  }
  return out;
}
