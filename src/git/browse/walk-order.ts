/** Walking commits newest first (by committer time, all parents), with a hard cap. */
import type { CommitLinks, Oid } from '../store';
import { DateQueue } from '../walk/date-queue';
import { readCommitLinks } from '../walk/read';
import type { BrowseOdb } from './objects';

/**
 * Visit up to `limit` commits reachable from `tips`, newest first. `visit` returns true to stop.
 * Returns whether the walk ended because of the cap (more history exists).
 */
export async function walkByDate(
  odb: BrowseOdb,
  tips: readonly Oid[],
  limit: number,
  visit: (oid: Oid, links: CommitLinks) => boolean | undefined | Promise<boolean | undefined>,
): Promise<boolean> {
  const queue = new DateQueue();
  const seen = new Set<Oid>();
  const links = new Map<Oid, CommitLinks>();
  const enqueue = async (oid: Oid): Promise<void> => {
    if (seen.has(oid)) return;
    seen.add(oid);
    const l = await readCommitLinks(odb, oid);
    links.set(oid, l);
    queue.push({ oid, time: l.time });
  };
  for (const t of tips) await enqueue(t);
  let visited = 0;
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
    if (visited >= limit) return true;
    visited++;
    const l = links.get(item.oid) as CommitLinks;
    links.delete(item.oid);
    if (await visit(item.oid, l)) return false;
    for (const p of l.parents) await enqueue(p);
  }
  return false;
}

/** Commits reachable from `tip`, or null when there are more than `limit` (the walk stops there).
 * Parents come from the commit graph where it knows them, so no order and no commit parsing. */
export async function countCommits(odb: BrowseOdb, tip: Oid, limit: number): Promise<number | null> {
  const seen = new Set<Oid>([tip]);
  const todo: Oid[] = [tip];
  for (let oid = todo.pop(); oid !== undefined; oid = todo.pop()) {
    for (const p of (await readCommitLinks(odb, oid)).parents) {
      if (seen.has(p)) continue;
      if (seen.size >= limit) return null;
      seen.add(p);
      todo.push(p);
    }
  }
  return seen.size;
}
