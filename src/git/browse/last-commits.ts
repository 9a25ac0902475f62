/**
 * The last commit that changed each entry of a directory, as a file list shows next to names.
 * Walks the directory's simplified history and attributes each entry to the first commit (from
 * the tip) where it differs from every parent. The walk is capped; entries not reached by then
 * stay unknown rather than costing unbounded time.
 */
import type { Oid } from '../store';
import { type BrowseOdb, type CommitSummary, readCommit, readTree } from './objects';
import { walkPathChanges } from './path-walk';

export interface LastCommits {
  /** Entry name -> commit; entries absent from the map are unknown (cap reached). */
  readonly byName: Map<string, CommitSummary>;
  readonly capped: boolean;
}

export const LAST_COMMIT_WALK_LIMIT = 1_000;

async function entryMap(odb: BrowseOdb, tree: Oid | null): Promise<Map<string, Oid>> {
  const map = new Map<string, Oid>();
  if (tree === null) return map;
  const obj = await odb.info(tree);
  if (obj?.type !== 'tree') return map;
  for (const e of await readTree(odb, tree)) map.set(e.name, e.oid);
  return map;
}

export async function lastCommits(
  odb: BrowseOdb,
  tip: Oid,
  dirPath: string,
  names: readonly string[],
  limit = LAST_COMMIT_WALK_LIMIT,
): Promise<LastCommits> {
  const pending = new Set(names);
  const found = new Map<string, Oid>();
  const { capped } = await walkPathChanges(odb, tip, dirPath, limit, async (c) => {
    const mine = await entryMap(odb, c.pathOid);
    const parents: Map<string, Oid>[] = [];
    for (const p of c.parentPathOids) parents.push(await entryMap(odb, p));
    for (const name of [...pending]) {
      const oid = mine.get(name);
      if (oid === undefined) continue;
      if (parents.every((p) => p.get(name) !== oid)) {
        found.set(name, c.oid);
        pending.delete(name);
      }
    }
    return pending.size === 0;
  });
  const summaries = new Map<Oid, CommitSummary>();
  const byName = new Map<string, CommitSummary>();
  for (const [name, oid] of found) {
    let s = summaries.get(oid);
    if (!s) {
      s = await readCommit(odb, oid);
      summaries.set(oid, s);
    }
    byName.set(name, s);
  }
  return { byName, capped: capped && pending.size > 0 };
}
