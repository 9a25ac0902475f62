import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitStream, makeRepo, removeDir } from '../../../test/helpers/git';
import { MemoryPackStore } from '../memory/pack-store';
import { ObjectDatabase } from '../odb';
import { indexPack } from '../pack/index-pack';
import type { CommitGraph, CommitLinks, Oid } from '../store';
import { reachableObjects } from './reachable';
import { readCommitLinks } from './read';

/** A commit graph in a Map that counts what the walks asked of it. */
class CountingGraph implements CommitGraph {
  readonly rows = new Map<Oid, CommitLinks>();
  hits = 0;
  adds = 0;
  async get(oid: Oid): Promise<CommitLinks | null> {
    const row = this.rows.get(oid) ?? null;
    if (row) this.hits++;
    return row;
  }
  async add(oid: Oid, links: CommitLinks): Promise<void> {
    this.adds++;
    this.rows.set(oid, links);
  }
}

let repo: string;
let store: MemoryPackStore;

beforeAll(async () => {
  repo = makeRepo(120);
  store = new MemoryPackStore();
  const writer = store.newPack();
  await indexPack(gitStream(repo, ['pack-objects', '--revs', '--all', '--stdout'], ''), writer, store);
  store.publish(writer.packId);
});
afterAll(() => removeDir(repo));

describe('commit graph', () => {
  it('is filled by a walk with what git says of each commit, then answers the next walk alone', async () => {
    const graph = new CountingGraph();
    const odb = new ObjectDatabase(store, { commitGraph: graph });
    const main = git(repo, ['rev-parse', 'main']).trim();
    const plain = await reachableObjects([main], [], new ObjectDatabase(store));
    const cold = await reachableObjects([main], [], odb);
    expect([...cold.commits].sort()).toEqual([...plain.commits].sort());
    expect([...cold.objects].sort()).toEqual([...plain.objects].sort());

    const log = git(repo, ['log', '--format=%H %T %ct %P', 'main']).trim().split('\n');
    expect(graph.rows.size).toBe(log.length);
    for (const line of log) {
      const [oid, tree, time, ...parents] = line.split(' ');
      // (and a generation where its parents had theirs when it was read: see generation.test.ts)
      expect(graph.rows.get(oid), oid).toMatchObject({ tree, time: Number(time), parents });
    }

    const addsBefore = graph.adds;
    graph.hits = 0;
    const warm = await reachableObjects([main], [], odb);
    expect([...warm.commits].sort()).toEqual([...plain.commits].sort());
    expect([...warm.objects].sort()).toEqual([...plain.objects].sort());
    expect(graph.adds).toBe(addsBefore);
    expect(graph.hits).toBeGreaterThanOrEqual(log.length);
  });

  it('is what readCommitLinks believes (so a walk never parses a known commit)', async () => {
    const graph = new CountingGraph();
    const head = git(repo, ['rev-parse', 'main']).trim();
    graph.rows.set(head, { tree: 'f'.repeat(40), parents: [], time: 7 });
    const odb = new ObjectDatabase(store, { commitGraph: graph });
    expect(await readCommitLinks(odb, head)).toEqual({ tree: 'f'.repeat(40), parents: [], time: 7 });
  });

  it('is refused for a database that also reads a pending pack', () => {
    const pending = store.newPack();
    expect(() => new ObjectDatabase(store, { pending, commitGraph: new CountingGraph() })).toThrow(
      /published/,
    );
  });
});
