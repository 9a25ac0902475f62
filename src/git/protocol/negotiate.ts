/** Have processing shared by v0 and v2 negotiation: which haves are common, are we ready. */
import type { ObjectDatabase } from '../odb';
import type { Oid } from '../store';
import { peel, readCommitLinks } from '../walk/read';

export interface HaveResult {
  /** Haves we also have, in the order received. */
  readonly common: Oid[];
  /** Haves we do not know. */
  readonly unknown: number;
}

export async function sortHaves(odb: ObjectDatabase, haves: readonly Oid[]): Promise<HaveResult> {
  const common: Oid[] = [];
  let unknown = 0;
  for (const h of new Set(haves)) {
    if (await odb.has(h)) common.push(h);
    else unknown++;
  }
  return { common, unknown };
}

/**
 * Whether we may stop negotiating (git's ok_to_give_up): every wanted commit must reach a
 * common commit. Like git, the search goes no further back than the lowest generation of the
 * common commits (or, where generations are not known, their oldest date), so a want on an
 * unrelated history keeps the client sending haves until it gives up itself.
 */
export async function okToGiveUp(
  odb: ObjectDatabase,
  wants: readonly Oid[],
  common: readonly Oid[],
): Promise<boolean> {
  if (common.length === 0) return false;
  const commonSet = new Set<Oid>();
  const floor: Floor = { time: Number.POSITIVE_INFINITY, generation: Number.POSITIVE_INFINITY };
  for (const c of common) {
    const p = await peel(odb, c);
    if (p.type !== 'commit') continue;
    commonSet.add(p.oid);
    const links = await readCommitLinks(odb, p.oid);
    floor.time = Math.min(floor.time, links.time);
    floor.generation = Math.min(floor.generation, links.generation ?? 0);
  }
  if (commonSet.size === 0) return false;
  // Commits known not to reach a common one (shared by all wants: histories overlap).
  const dead = new Set<Oid>();
  for (const w of new Set(wants)) {
    const p = await peel(odb, w);
    if (p.type !== 'commit') continue; // trees and blobs asked by id need no negotiation
    if (!(await reachesCommon(odb, p.oid, commonSet, floor, dead))) return false;
  }
  return true;
}

/** Below these, a commit reaches no common one: the lowest generation (0: one is not known), the oldest date. */
interface Floor {
  time: number;
  generation: number;
}

async function reachesCommon(
  odb: ObjectDatabase,
  start: Oid,
  common: ReadonlySet<Oid>,
  floor: Floor,
  dead: Set<Oid>,
): Promise<boolean> {
  const seen = new Set<Oid>();
  const stack = [start];
  while (stack.length > 0) {
    const oid = stack.pop() as Oid;
    if (common.has(oid)) return true;
    if (seen.has(oid) || dead.has(oid)) continue;
    seen.add(oid);
    const links = await readCommitLinks(odb, oid);
    // A commit reaches only commits of lower generation: exact, whatever the clocks say.
    if (floor.generation > 0 && links.generation !== undefined) {
      if (links.generation <= floor.generation) continue;
    } else if (links.time < floor.time) continue;
    for (const p of links.parents) stack.push(p);
  }
  // Nothing below here reaches a common commit: remember it for the other wants.
  for (const s of seen) dead.add(s);
  return false;
}
