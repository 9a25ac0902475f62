/**
 * Merge bases against C git (`merge-base --all`, `merge-base`, `merge-base --is-ancestor`) on
 * linear, branching, criss-cross, octopus, unrelated and clock-skewed histories, with generation
 * numbers filled, unknown, and known for some commits only; and what the walk reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DagHistory, importDag, linearDag, randomDag } from '../../../test/helpers/dag-history';
import { git, gitTry, removeDir } from '../../../test/helpers/git';
import { NotingGraph, notingReads } from '../../../test/helpers/odb-reads';
import { rng } from '../../../test/helpers/prng';
import { skewedOdb } from '../../../test/helpers/skewed-history';
import { mergeBase } from '../browse/merge-base';
import { MemoryCommitGraph } from '../memory/commit-graph';
import { mergeBases } from '../merge/merge-bases';
import { ObjectDatabase } from '../odb';
import type { Oid } from '../store';
import { fillGenerations } from './generation';
import { bestMergeBases } from './merge-base';

const histories = new Map<string, DagHistory>();

function history(name: string): DagHistory {
  const h = histories.get(name);
  if (!h) throw new Error(`no history ${name}`);
  return h;
}

beforeAll(() => {
  histories.set('linear', importDag(linearDag(40)));
  histories.set('branches', importDag(randomDag(rng(1), 150, { merges: 0.15, octopus: 0 })));
  histories.set(
    'criss-cross',
    importDag(randomDag(rng(2), 150, { branches: 3, merges: 0.4, behind: 0.6, octopus: 0 })),
  );
  histories.set('octopus', importDag(randomDag(rng(3), 150, { branches: 6, merges: 0.3, octopus: 0.8 })));
  histories.set('unrelated', importDag(randomDag(rng(4), 80, { roots: 3, merges: 0 })));
  histories.set('skewed', importDag(randomDag(rng(5), 200, { roots: 2, merges: 0.25, skewed: 0.25 })));
});
afterAll(() => {
  for (const h of histories.values()) removeDir(h.dir);
});

/** The three ways the engine may meet a history: no generations, some, all. */
async function databases(h: DagHistory): Promise<Record<string, ObjectDatabase>> {
  const { odb, graph } = await skewedOdb(h.dir);
  const filled = new ObjectDatabase(odb.store, { commitGraph: graph });
  expect((await fillGenerations(filled, h.oids)).complete).toBe(true);
  return {
    // No commit graph: every generation unknown, the walk goes by date.
    unknown: new ObjectDatabase(odb.store),
    // A graph that learns as the walks read: generations known for a few commits near the roots.
    partial: new ObjectDatabase(odb.store, { commitGraph: new MemoryCommitGraph() }),
    filled,
  };
}

function gitBases(dir: string, a: Oid, b: Oid): { all: Oid[]; one: Oid | null } {
  const all = gitTry(dir, ['merge-base', '--all', a, b]);
  const one = gitTry(dir, ['merge-base', a, b]);
  return {
    all: all.code === 0 ? all.stdout.trim().split('\n') : [],
    one: one.code === 0 ? one.stdout.trim() : null,
  };
}

describe('merge bases', () => {
  for (const name of ['linear', 'branches', 'criss-cross', 'octopus', 'unrelated', 'skewed']) {
    it(`are git's on a ${name} history, whatever generations are known`, async () => {
      const h = history(name);
      const dbs = await databases(h);
      const r = rng(name.length * 97);
      const shapes = { several: 0, none: 0, ancestor: 0, octopus: 0 };
      const octopusMerges = new Set(
        git(h.dir, ['rev-list', '--all', '--min-parents=3'])
          .split('\n')
          .filter((l) => l !== ''),
      );
      for (let i = 0; i < 40; i++) {
        // Half the pairs among recent commits, where branches have not merged back yet.
        const pool = i % 2 === 0 ? h.oids : h.oids.slice(-30);
        const a = r.pick(pool);
        const b = r.next() < 0.1 ? a : r.pick(pool);
        const want = gitBases(h.dir, a, b);
        const ancestor = gitTry(h.dir, ['merge-base', '--is-ancestor', a, b]).code === 0;
        if (want.all.length > 1) shapes.several++;
        if (want.all.length === 0) shapes.none++;
        if (ancestor) shapes.ancestor++;
        if (want.all.some((c) => octopusMerges.has(c)) || octopusMerges.has(a) || octopusMerges.has(b))
          shapes.octopus++;
        for (const [mode, odb] of Object.entries(dbs)) {
          const what = `${mode}: merge-base ${a} ${b}`;
          const got = await bestMergeBases(odb, a, b, 100_000);
          expect(got, what).toEqual(want.all);
          // A commit is its own and only base exactly when it is an ancestor of the other.
          expect(got?.length === 1 && got[0] === a, what).toBe(ancestor);
          expect(await mergeBase(odb, a, b), what).toBe(want.one);
        }
      }
      // The pairs drawn show the shape named.
      if (name === 'criss-cross') expect(shapes.several).toBeGreaterThan(3);
      if (name === 'unrelated') expect(shapes.none).toBeGreaterThan(3);
      if (name === 'octopus') expect(shapes.octopus).toBeGreaterThan(3);
      expect(shapes.ancestor).toBeGreaterThan(3);
    });
  }

  it('of a hand-made criss-cross are both sides, newest first', async () => {
    // 0 - 1 - 3 (merges 2)
    //   \   X
    //     2 - 4 (merges 1)
    const h = importDag([
      { parents: [], time: 100 },
      { parents: [0], time: 200 },
      { parents: [0], time: 300 },
      { parents: [1, 2], time: 400 },
      { parents: [2, 1], time: 500 },
    ]);
    try {
      const want = [h.oids[2], h.oids[1]];
      expect(git(h.dir, ['merge-base', '--all', h.oids[3], h.oids[4]]).trim().split('\n')).toEqual(want);
      for (const odb of Object.values(await databases(h))) {
        expect(await mergeBases(odb, h.oids[3], h.oids[4])).toEqual(want);
        expect(await mergeBase(odb, h.oids[3], h.oids[4])).toBe(h.oids[2]);
      }
    } finally {
      removeDir(h.dir);
    }
  });
});

describe('merge bases in a long history', () => {
  // 2,000 commits on main; a topic forked 5 commits before main's tip, 5 commits of its own;
  // another topic forked there too, 5 commits whose clock said they came before main's root;
  // and a criss-cross on main's tip: x and y on it, then each merging the other.
  const MAIN = 2_000;
  let h: DagHistory;
  let store: ObjectDatabase['store'];
  let graph: MemoryCommitGraph;
  let tip: Oid;
  let topic: Oid;
  let skewedTopic: Oid;
  let fork: Oid;
  let cross: Oid[];

  beforeAll(async () => {
    const commits = linearDag(MAIN);
    const forkAt = MAIN - 6;
    for (let i = 0; i < 5; i++)
      commits.push({
        parents: [i === 0 ? forkAt : MAIN + i - 1],
        time: commits[MAIN - 1].time + 30 + 60 * i,
      });
    for (let i = 0; i < 5; i++)
      commits.push({
        parents: [i === 0 ? forkAt : MAIN + 5 + i - 1],
        time: commits[0].time - 1_000_000 + 60 * i,
      });
    const at = commits.length;
    const last = commits[MAIN - 1].time;
    commits.push({ parents: [MAIN - 1], time: last + 1000 }, { parents: [MAIN - 1], time: last + 2000 });
    commits.push({ parents: [at, at + 1], time: last + 3000 }, { parents: [at + 1, at], time: last + 4000 });
    h = importDag(commits);
    cross = h.oids.slice(at);
    const loaded = await skewedOdb(h.dir);
    store = loaded.odb.store;
    graph = loaded.graph;
    expect((await fillGenerations(loaded.odb, h.oids)).complete).toBe(true);
    tip = h.oids[MAIN - 1];
    topic = h.oids[MAIN + 4];
    skewedTopic = h.oids[MAIN + 9];
    fork = h.oids[forkAt];
  });
  afterAll(() => removeDir(h.dir));

  it('read the commits above the fork, not the history, with generations and without', async () => {
    expect(git(h.dir, ['merge-base', '--all', tip, topic]).trim()).toBe(fork);
    // Without a commit graph: each commit read is parsed.
    const plain = notingReads(new ObjectDatabase(store));
    expect(await mergeBases(plain.odb, tip, topic)).toEqual([fork]);
    // The 10 commits above the fork, the fork, its parent (found STALE, the walk ends).
    expect(plain.read.size).toBeLessThanOrEqual(12);
    expect(plain.read.has(fork)).toBe(true);
    // With generations filled: rows of the commit graph, nothing parsed.
    const noting = new NotingGraph(graph);
    const withGraph = notingReads(new ObjectDatabase(store, { commitGraph: noting }));
    expect(await mergeBases(withGraph.odb, tip, topic)).toEqual([fork]);
    expect(noting.asked.size).toBeLessThanOrEqual(12);
    expect(withGraph.read.size).toBe(0);
    // The compare page's single base reads as little.
    noting.asked.clear();
    expect(await mergeBase(withGraph.odb, tip, topic)).toBe(fork);
    expect(noting.asked.size).toBeLessThanOrEqual(12);
  });

  it('go by generation where the clocks lie, and by date (reading more, the same answer) without', async () => {
    expect(git(h.dir, ['merge-base', '--all', tip, skewedTopic]).trim()).toBe(fork);
    const noting = new NotingGraph(graph);
    expect(await mergeBases(new ObjectDatabase(store, { commitGraph: noting }), tip, skewedTopic)).toEqual([
      fork,
    ]);
    expect(noting.asked.size).toBeLessThanOrEqual(12);
    // By date, every commit of main is newer than the topic's: all of main is walked before it.
    const plain = notingReads(new ObjectDatabase(store));
    expect(await mergeBases(plain.odb, tip, skewedTopic)).toEqual([fork]);
    expect(plain.read.size).toBeGreaterThan(MAIN);
  });

  it('of a criss-cross: both bases, each checked against the other above the history', async () => {
    const [x, y, xMerge, yMerge] = cross;
    expect(git(h.dir, ['merge-base', '--all', xMerge, yMerge]).trim().split('\n')).toEqual([y, x]);
    const noting = new NotingGraph(graph);
    expect(await mergeBases(new ObjectDatabase(store, { commitGraph: noting }), xMerge, yMerge)).toEqual([
      y,
      x,
    ]);
    // The four commits, main's tip and (where generations are not known) its parent.
    expect(noting.asked.size).toBeLessThanOrEqual(6);
    const plain = notingReads(new ObjectDatabase(store));
    expect(await mergeBases(plain.odb, xMerge, yMerge)).toEqual([y, x]);
    expect(plain.read.size).toBeLessThanOrEqual(6);
  });

  it('stop at their bound: null past it, the base within it', async () => {
    const root = h.oids[0];
    const odb = new ObjectDatabase(store, { commitGraph: graph });
    expect(await bestMergeBases(odb, tip, root, 100)).toBeNull();
    expect(await mergeBase(odb, tip, root, 100)).toBeNull();
    expect(await bestMergeBases(odb, tip, root, MAIN)).toEqual([root]);
    expect(await bestMergeBases(odb, tip, topic, 20)).toEqual([fork]);
  });
});
