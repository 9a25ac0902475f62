/**
 * What a push brought to a ref, for webhook payloads: the commits of `git log base..head`
 * (newest first, the first `max` with the paths each added, removed and modified against its
 * first parent, as Gitea and GitHub list them) and how many there are in all, counted up to
 * `countCap`. An annotated tag (a tag push) lists the commit it names; a tag of a tree or blob
 * lists nothing.
 */
import type { Oid } from '../store';
import { peel } from '../walk/read';
import { commitsBetween } from './merge-base';
import type { BrowseOdb } from './objects';
import { type CommitSummary, readCommit } from './objects';
import { diffTrees } from './tree-diff';

export interface PushedCommit extends CommitSummary {
  readonly added: string[];
  readonly removed: string[];
  readonly modified: string[];
}

export interface PushedCommits {
  readonly commits: PushedCommit[];
  readonly total: number;
  /** There are more than `total` (the count stopped at its cap). */
  readonly totalCapped: boolean;
}

export async function pushedCommits(
  odb: BrowseOdb,
  base: Oid | null,
  head: Oid,
  max: number,
  countCap: number,
): Promise<PushedCommits> {
  const [tip, from] = await Promise.all([peel(odb, head), base === null ? null : peel(odb, base)]);
  if (tip.type !== 'commit') return { commits: [], total: 0, totalCapped: false };
  const between = await commitsBetween(odb, from?.type === 'commit' ? from.oid : null, tip.oid, countCap);
  const commits: PushedCommit[] = [];
  for (const oid of between.oids.slice(0, max)) {
    const commit = await readCommit(odb, oid);
    const parentTree = commit.parents.length > 0 ? (await readCommit(odb, commit.parents[0])).tree : null;
    const { changes } = await diffTrees(odb, parentTree, commit.tree);
    const added: string[] = [];
    const removed: string[] = [];
    const modified: string[] = [];
    for (const ch of changes) {
      if (ch.status === 'added') added.push(ch.newPath!);
      else if (ch.status === 'deleted') removed.push(ch.oldPath!);
      else if (ch.status === 'renamed') {
        // As git without rename detection (and Gitea's payload) sees it.
        removed.push(ch.oldPath!);
        added.push(ch.newPath!);
      } else modified.push(ch.newPath!);
    }
    commits.push({ ...commit, added, removed, modified });
  }
  return { commits, total: between.oids.length, totalCapped: between.more };
}
