/**
 * `git log base..head` as git walks it: both sides in one walk by date, the base's side painting
 * what it reaches as excluded, and the walk ending once nothing queued can still be listed. It
 * reads the commits between the two and a little more, not all of the base's history (a push of
 * 3 commits onto a 6,000-commit branch read the 6,000 to list the 3).
 */
import type { CommitLinks, Oid } from '../store';
import { settled } from '../walk/commits';
import { DateQueue } from '../walk/date-queue';
import { readCommitLinks } from '../walk/read';
import type { BrowseOdb } from './objects';

/** Excluded commits popped after the last listable one, for clock skew (git's SLOP), where
 * generation numbers do not say when to stop. */
const SLOP = 5;

interface Seen {
  readonly links: CommitLinks;
  excluded: boolean;
  popped: boolean;
}

/** Commits of `head` not reachable from `base` (newest first, at most `max`), reading at most `limit`. */
export async function rangeWalk(
  odb: BrowseOdb,
  base: Oid | null,
  head: Oid,
  max: number,
  limit: number,
): Promise<{ oids: Oid[]; more: boolean }> {
  const seen = new Map<Oid, Seen>();
  const queue = new DateQueue();
  // Queued commits not (yet) excluded: while there are none, nothing more can be listed.
  let live = 0;
  const exclude = (oid: Oid) => {
    const todo = [oid];
    for (let o = todo.pop(); o !== undefined; o = todo.pop()) {
      const s = seen.get(o);
      if (!s || s.excluded) continue;
      s.excluded = true;
      // A popped commit's parents are queued already: they are excluded too (skewed clocks).
      if (s.popped) todo.push(...s.links.parents);
      else live--;
    }
  };
  const enqueue = async (oid: Oid, excluded: boolean) => {
    if (seen.has(oid)) {
      if (excluded) exclude(oid);
      return;
    }
    const links = await readCommitLinks(odb, oid);
    seen.set(oid, { links, excluded, popped: false });
    queue.push({ oid, time: links.time });
    if (!excluded) live++;
  };
  if (base !== null) await enqueue(base, true);
  await enqueue(head, false);
  const listed: Oid[] = [];
  const generationOf = (oid: Oid) => seen.get(oid)?.links.generation;
  // The lowest generation listed (undefined once a listed commit has none).
  let listedFloor: number | undefined = Number.POSITIVE_INFINITY;
  let more = false;
  let visited = 0;
  let slop = SLOP;
  for (;;) {
    // Generations prove when no excluded commit queued can reach a listed one; else a slop.
    const end = live === 0 ? settled(queue, generationOf, listedFloor) : false;
    if (end === true) break;
    const item = queue.pop();
    if (item === undefined) break;
    if (live === 0 && end === undefined && slop-- <= 0) break;
    if (visited++ >= limit) break;
    const s = seen.get(item.oid) as Seen;
    s.popped = true;
    if (!s.excluded) {
      live--;
      if (listed.length >= max) {
        more = true;
        break;
      }
      listed.push(item.oid);
      const g = s.links.generation;
      listedFloor = g === undefined || listedFloor === undefined ? undefined : Math.min(listedFloor, g);
    }
    for (const p of s.links.parents) await enqueue(p, s.excluded);
  }
  return { oids: listed.filter((oid) => !seen.get(oid)?.excluded), more };
}
