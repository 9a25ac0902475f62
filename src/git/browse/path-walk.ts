/**
 * History simplified by a path, as `git log -- path` does by default: a commit whose content at
 * the path equals one of its parents' (TREESAME) is hidden and only that parent is followed;
 * other commits are shown and all their parents followed.
 */
import type { CommitLinks, Oid } from '../store';
import { DateQueue } from '../walk/date-queue';
import { readCommitLinks } from '../walk/read';
import type { BrowseOdb } from './objects';
import { oidAtPath, splitPath } from './tree-path';

export interface PathCommit {
  readonly oid: Oid;
  readonly links: CommitLinks;
  /** The object at the path in this commit (null when absent). */
  readonly pathOid: Oid | null;
  /** The objects at the path in each parent, in parent order. */
  readonly parentPathOids: readonly (Oid | null)[];
}

export interface PathWalkResult {
  /** The walk stopped at its cap: there may be more (older) changes. */
  readonly capped: boolean;
}

/**
 * Visit the commits that change `path` (every commit when `path` is ''), newest first.
 * `visit` returns true to stop. At most `limit` commits are examined.
 */
export async function walkPathChanges(
  odb: BrowseOdb,
  tip: Oid,
  path: string,
  limit: number,
  visit: (c: PathCommit) => boolean | undefined | Promise<boolean | undefined>,
): Promise<PathWalkResult> {
  const parts = splitPath(path);
  const queue = new DateQueue();
  const seen = new Set<Oid>();
  const links = new Map<Oid, CommitLinks>();
  // Path lookups are shared between a commit and its children, so keep them until visited.
  const pathOids = new Map<Oid, Oid | null>();
  const linksOf = async (oid: Oid): Promise<CommitLinks> => {
    let l = links.get(oid);
    if (!l) {
      l = await readCommitLinks(odb, oid);
      links.set(oid, l);
    }
    return l;
  };
  const pathOf = async (oid: Oid): Promise<Oid | null> => {
    if (pathOids.has(oid)) return pathOids.get(oid) ?? null;
    const l = await linksOf(oid);
    const p = parts.length === 0 ? l.tree : await oidAtPath(odb, l.tree, parts);
    pathOids.set(oid, p);
    return p;
  };
  const enqueue = async (oid: Oid): Promise<void> => {
    if (seen.has(oid)) return;
    seen.add(oid);
    const l = await linksOf(oid);
    queue.push({ oid, time: l.time });
  };
  await enqueue(tip);
  let examined = 0;
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
    if (examined >= limit) return { capped: true };
    examined++;
    const l = await linksOf(item.oid);
    const mine = await pathOf(item.oid);
    const parentOids: (Oid | null)[] = [];
    for (const p of l.parents) parentOids.push(await pathOf(p));
    links.delete(item.oid);
    pathOids.delete(item.oid);
    if (parts.length > 0) {
      const same = parentOids.indexOf(mine);
      if (same >= 0) {
        await enqueue(l.parents[same]);
        continue;
      }
      // A root commit without the path, or a path that never existed here: nothing to show.
      if (mine === null && l.parents.length === 0) continue;
    }
    if (await visit({ oid: item.oid, links: l, pathOid: mine, parentPathOids: parentOids }))
      return { capped: false };
    for (const p of l.parents) await enqueue(p);
  }
  return { capped: false };
}
