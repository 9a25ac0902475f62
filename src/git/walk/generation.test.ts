/**
 * Generation numbers against C git on histories whose clocks lie: the levels git's commit-graph
 * defines, `merge-base --is-ancestor`, and what `rev-list` of a range must list (its exact set:
 * git's own date walk goes wrong there too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitTry, removeDir } from '../../../test/helpers/git';
import { rng } from '../../../test/helpers/prng';
import { makeSkewedHistory, type SkewedHistory, skewedOdb } from '../../../test/helpers/skewed-history';
import { rangeWalk } from '../browse/range-walk';
import { MemoryCommitGraph } from '../memory/commit-graph';
import { isAncestor } from '../merge/merge-bases';
import { ObjectDatabase } from '../odb';
import type { CommitGraph, CommitLinks, Oid } from '../store';
import { walkCommits } from './commits';
import { fillGenerations } from './generation';

let history: SkewedHistory;

beforeAll(() => {
  history = makeSkewedHistory(24, 400);
});
afterAll(() => removeDir(history.dir));

/** Topological levels from git's own parents: 1 for a root, else 1 + the highest parent's. */
function gitLevels(dir: string): Map<Oid, number> {
  const levels = new Map<Oid, number>();
  for (const line of git(dir, ['rev-list', '--all', '--reverse', '--topo-order', '--parents'])
    .trim()
    .split('\n')) {
    const [oid, ...parents] = line.split(' ');
    levels.set(oid, 1 + Math.max(0, ...parents.map((p) => levels.get(p) as number)));
  }
  return levels;
}

/** Each commit's ancestors (itself included), from git's parents. */
function gitAncestors(dir: string): (oid: Oid) => Set<Oid> {
  const parents = new Map<Oid, Oid[]>();
  for (const line of git(dir, ['rev-list', '--all', '--parents']).trim().split('\n')) {
    const [oid, ...ps] = line.split(' ');
    parents.set(oid, ps);
  }
  return (oid) => {
    const seen = new Set<Oid>([oid]);
    for (const todo = [oid]; todo.length > 0; ) {
      for (const p of parents.get(todo.pop() as Oid) ?? []) if (!seen.has(p)) todo.push(p) && seen.add(p);
    }
    return seen;
  };
}

/** `git rev-list want --not have` as reachability says it (git's own walk stops early on skewed dates). */
function exactRange(ancestors: (oid: Oid) => Set<Oid>, want: Oid, have: Oid): Oid[] {
  const theirs = ancestors(have);
  return [...ancestors(want)].filter((c) => !theirs.has(c)).sort();
}

/** A graph that counts the commits asked of it. */
class CountingGraph extends MemoryCommitGraph implements CommitGraph {
  gets = 0;
  override async get(oid: Oid): Promise<CommitLinks | null> {
    this.gets++;
    return super.get(oid);
  }
}

describe('generation numbers', () => {
  it('are the topological levels git computes, filled below the tips once', async () => {
    const { odb, graph } = await skewedOdb(history.dir);
    const tips = git(history.dir, ['for-each-ref', '--format=%(objectname)']).trim().split('\n');
    const first = await fillGenerations(odb, tips);
    expect(first.complete).toBe(true);
    // Some are given theirs as they are read (their parents' known already), the rest after.
    expect(first.filled).toBeGreaterThan(history.commits.length / 2);
    const levels = gitLevels(history.dir);
    for (const c of history.commits) expect(graph.rows.get(c)?.generation, c).toBe(levels.get(c));
    // Filled once: a second fill reads the tips and stops there.
    expect(await fillGenerations(odb, tips)).toEqual({ filled: 0, complete: true });
  });

  it('are given to a new commit read after its parents have theirs, and stop at a budget', async () => {
    const { odb, graph } = await skewedOdb(history.dir);
    const [root, second] = history.commits;
    expect(await fillGenerations(odb, [root])).toMatchObject({ complete: true });
    expect(graph.rows.get(root)?.generation).toBe(1);
    const levels = gitLevels(history.dir);
    // Read by any walk: its parent's generation is known, so is its own.
    const child = history.commits.find((c) => git(history.dir, ['rev-parse', `${c}^@`]).trim() === root);
    if (!child) throw new Error('the root has a child');
    const { readCommitLinks } = await import('./read');
    expect((await readCommitLinks(odb, child)).generation).toBe(levels.get(child));
    const main = git(history.dir, ['rev-parse', 'main']).trim();
    expect(await fillGenerations(odb, [main], 10)).toMatchObject({ complete: false });
    expect(graph.rows.get(main)?.generation).toBeUndefined();
    expect(second).toBeDefined();
  });

  it('answer is-ancestor as git merge-base --is-ancestor does, reading only what lies between', async () => {
    const { odb } = await skewedOdb(history.dir);
    const counting = new CountingGraph();
    const r = rng(7);
    const pairs: [Oid, Oid][] = [];
    for (let i = 0; i < 40; i++) pairs.push([r.pick(history.commits), r.pick(history.commits)]);
    const countingOdb = new ObjectDatabase(odb.store, { commitGraph: counting });
    let yes = 0;
    for (const [a, d] of pairs) {
      const expected = gitTry(history.dir, ['merge-base', '--is-ancestor', a, d]).code === 0;
      if (expected) yes++;
      expect(await isAncestor(odb, a, d), `${a} ${d}`).toBe(expected);
      expect(await isAncestor(countingOdb, a, d), `${a} ${d}`).toBe(expected);
    }
    expect(yes).toBeGreaterThan(5);
    expect(yes).toBeLessThan(pairs.length - 5);
    // Once filled, a parent and its child: a few rows read, not the history.
    const main = git(history.dir, ['rev-parse', 'main']).trim();
    const parent = git(history.dir, ['rev-parse', 'main^']).trim();
    counting.gets = 0;
    expect(await isAncestor(countingOdb, parent, main)).toBe(true);
    expect(counting.gets).toBeLessThan(10);
  });

  it('make a range walk exact where the clocks lie (git rev-list lists too much)', async () => {
    const { odb } = await skewedOdb(history.dir);
    const r = rng(11);
    const ancestors = gitAncestors(history.dir);
    let wrongWithoutGenerations = 0;
    for (let i = 0; i < 30; i++) {
      const want = r.pick(history.commits);
      const have = r.pick(history.commits);
      const exact = exactRange(ancestors, want, have);
      const plain = await walkCommits(new ObjectDatabase(odb.store), [want], [have]);
      if ([...plain.commits].sort().join() !== exact.join()) wrongWithoutGenerations++;
      await fillGenerations(odb, [want, have]);
      const walk = await walkCommits(odb, [want], [have]);
      expect([...walk.commits].sort(), `${want} --not ${have}`).toEqual(exact);
      const range = await rangeWalk(odb, have, want, 10_000, 100_000);
      expect([...range.oids].sort(), `${have}..${want}`).toEqual(exact);
    }
    // The history is skewed enough that the dates alone get some ranges wrong.
    expect(wrongWithoutGenerations).toBeGreaterThan(0);
  });
});
