import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { settledBytes } from '../../../test/helpers/memory';
import type { CommitGraph, CommitLinks, Oid } from '../store';
import { walkCommits } from './commits';
import type { WalkOdb } from './read';

/** A linear history of `n` commits: commit i's parent is i - 1 (ids hashed, as real ones are uniform). */
function lineHistory(n: number): { odb: WalkOdb; commits: Oid[]; trees: Oid[] } {
  const hash = (s: string) => createHash('sha1').update(s).digest('hex');
  const commits: Oid[] = [];
  const trees: Oid[] = [];
  const index = new Map<Oid, number>();
  for (let i = 0; i < n; i++) {
    commits.push(hash(`commit ${i}`));
    trees.push(hash(`tree ${i}`));
    index.set(commits[i], i);
  }
  const graph: CommitGraph = {
    async get(oid: Oid): Promise<CommitLinks | null> {
      const i = index.get(oid) as number;
      // New strings each time, as parsing a commit or reading a row makes them.
      const parents = i === 0 ? [] : [hash(`commit ${i - 1}`)];
      return { tree: hash(`tree ${i}`), parents, time: 1_000_000 + i, generation: i + 1 };
    },
    async add() {
      // the history is made up: nothing to remember
    },
  };
  const none = async () => null;
  const odb = { read: none, info: none, has: async () => true, commitGraph: graph } as unknown as WalkOdb;
  return { odb, commits, trees };
}

describe('walkCommits memory', () => {
  it('keeps the sent commits and their trees as 20-byte ids (100,000 commits)', async () => {
    const n = 100_000;
    const { odb, commits, trees } = lineHistory(n);
    const before = await settledBytes();
    const walk = await walkCommits(odb, [commits[n - 1]], []);
    const retained = (await settledBytes()) - before;
    expect(walk.sent.length).toBe(n);
    expect(walk.sentTrees.at(0)).toBe(trees[n - 1]);
    expect(walk.sent.at(n - 1)).toBe(commits[0]);
    console.log(`a walk's result retains ${(retained / n).toFixed(0)} bytes a commit`);
    // Maps of hex strings (tree by commit, the commits' list) retained 156.
    expect(retained / n).toBeLessThan(60);
  });
});
