import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitStream, makeRepo, makeTempDir, removeDir } from '../../../test/helpers/git';
import { recordReads } from '../../../test/helpers/odb-reads';
import { IdList } from '../id-list';
import { MemoryPackStore } from '../memory/pack-store';
import { ObjectDatabase } from '../odb';
import { indexPack } from '../pack/index-pack';
import type { PackStore } from '../store';
import { parseFilter } from './filter';
import { TreeWalker } from './objects';
import { reachableObjects } from './reachable';

let repo: string;
let odb: ObjectDatabase;
let store: MemoryPackStore;
const dirs: string[] = [];

beforeAll(async () => {
  repo = makeRepo(200);
  dirs.push(repo);
  store = await packedStore(['--revs', '--all'], '');
  odb = new ObjectDatabase(store);
});
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

const rev = (r: string) => git(repo, ['rev-parse', r]).trim();

/** `git rev-list --objects` as two sorted lists: commits and other objects. */
function revList(args: string[]): { commits: string[]; objects: string[] } {
  const lines = git(repo, ['rev-list', '--objects', ...args])
    .trim()
    .split('\n')
    .filter(Boolean);
  const commitSet = new Set(
    git(repo, ['rev-list', ...args.filter((a) => !a.startsWith('--filter'))])
      .trim()
      .split('\n')
      .filter(Boolean),
  );
  const oids = lines.map((l) => l.split(' ')[0]);
  return {
    commits: oids.filter((o) => commitSet.has(o)).sort(),
    objects: oids.filter((o) => !commitSet.has(o)).sort(),
  };
}

describe('reachableObjects = git rev-list --objects wants --not haves', () => {
  const cases: [string, string[], string[]][] = [
    ['everything from main', ['main'], []],
    ['main since stable~40', ['main'], ['stable~40']],
    ['two tips, several haves', ['main', 'topic-2'], ['main~10', 'topic-1', 'main~150']],
    ['an annotated tag', ['v120'], ['v60']],
    ['nothing new', ['main~5'], ['main']],
  ];
  for (const [title, wants, haves] of cases) {
    it(title, async () => {
      const wantOids = wants.map(rev);
      const haveOids = haves.map(rev);
      const r = await reachableObjects(wantOids, haveOids, odb);
      const expected = revList([...wantOids, '--not', ...haveOids]);
      expect([...r.commits].sort()).toEqual(expected.commits);
      expect([...r.objects].sort()).toEqual(expected.objects);
      expect(new Set([...r.commits, ...r.objects]).size).toBe(r.commits.length + r.objects.length);
      // A wanted tag comes before the trees and blobs.
      if (wants[0].startsWith('v')) expect(r.objects.at(0)).toBe(wantOids[0]);
      // Objects in the client's edge trees are known to it (usable as thin-pack bases).
      if (haveOids.length > 0 && r.commits.length > 0)
        expect(r.clientHas(rev(`${haves[0]}^{tree}`))).toBe(true);
    });
  }

  for (const spec of [
    'blob:none',
    'blob:limit=1500',
    'blob:limit=0',
    'tree:0',
    'tree:1',
    'tree:2',
    'object:type=tree',
    'object:type=blob',
    'object:type=commit',
    'combine:blob:none+tree:3',
  ]) {
    it(`filter ${spec}`, async () => {
      const r = await reachableObjects([rev('main')], [rev('main~30')], odb, { filter: parseFilter(spec) });
      const expected = revList([rev('main'), '--not', rev('main~30'), `--filter=${spec}`]);
      expect([...r.commits].sort()).toEqual(expected.commits);
      expect([...r.objects].sort()).toEqual(expected.objects);
    });
  }

  it('a blob:none walk notes no blob of a tree (none is sent), and still every subtree', async () => {
    const entries = git(repo, ['ls-tree', '-r', '-t', 'main']).trim().split('\n');
    const of = (type: string) =>
      entries.filter((l) => l.split(' ')[1] === type).map((l) => l.split(/\s+/)[2]);
    const [blobs, trees] = [of('blob'), of('tree')];
    expect(blobs.length).toBeGreaterThan(0);
    expect(trees.length).toBeGreaterThan(0);
    const plain = new TreeWalker(odb);
    await plain.addTree(rev('main^{tree}'));
    expect(blobs.every((b) => plain.hasSeen(b))).toBe(true);
    const blobless = new TreeWalker(odb, { filter: parseFilter('blob:none') });
    await blobless.addTree(rev('main^{tree}'));
    expect(blobs.some((b) => blobless.hasSeen(b))).toBe(false);
    expect(trees.every((t) => blobless.hasSeen(t))).toBe(true);
  });

  it('a clone walk looks its trees up a level at a time, in batches, not one by one', async () => {
    const { store: counting, single, batched } = countingStore(store);
    const tips = ['main', 'topic-1', 'topic-2', 'v120'].map(rev);
    const r = await reachableObjects(tips, [], new ObjectDatabase(counting));
    const expected = revList(tips);
    expect([...r.objects].sort()).toEqual(expected.objects);
    // What rev-list lists beside commits under this filter: the trees, and the tag named.
    const trees = new Set(revList([...tips, '--filter=object:type=tree']).objects);
    trees.delete(rev('v120'));
    expect(trees.size).toBeGreaterThan(100);
    // Alone only as a delta base not read yet (one here); every tree was looked up one by one before.
    expect(single.filter((o) => trees.has(o)).length).toBeLessThan(trees.size / 20);
    expect([...trees].every((t) => batched.has(t))).toBe(true);
  });

  it('a level walk holds a few slices of trees waiting, not a whole level, and sends what rev-list does', async () => {
    const slice = 4;
    // Every commit's root tree: level 0 of a clone's walk.
    const roots = new IdList();
    for (const tree of git(repo, ['log', '--format=%T', 'main']).trim().split('\n')) roots.push(tree);
    const walker = new TreeWalker(odb, { levelSlice: slice });
    await walker.addTrees(roots);
    const sent = new IdList();
    walker.takeObjects(sent);
    expect([...sent].sort()).toEqual(revList([rev('main')]).objects);
    // Trees by depth in the history, as rev-list names them: a level at a time held the widest.
    const depths = new Map<number, number>();
    for (const line of git(repo, ['rev-list', '--objects', '--filter=object:type=tree', 'main']).split(
      '\n',
    )) {
      const path = line.slice(41);
      if (line.length < 40 || path === '') continue;
      const depth = path.split('/').length;
      depths.set(depth, (depths.get(depth) ?? 0) + 1);
    }
    const widest = Math.max(roots.length, ...depths.values());
    expect(widest).toBeGreaterThan(150);
    // Each of the (at most three) levels holds under a slice plus what one slice above added: no
    // tree of this history has more than 4 subtrees.
    expect(git(repo, ['ls-tree', '-d', 'main']).trim().split('\n').length).toBeLessThanOrEqual(4);
    expect(depths.size).toBeLessThanOrEqual(2);
    expect(walker.pendingPeak).toBeGreaterThan(0);
    expect(walker.pendingPeak).toBeLessThanOrEqual(slice + 3 * (slice + slice * 4));
  });

  it('a blob:limit walk looks the sizes of blobs up in batches, not one by one', async () => {
    const { store: counting, single, batched } = countingStore(store);
    const spec = 'blob:limit=1500';
    const r = await reachableObjects([rev('main')], [], new ObjectDatabase(counting), {
      filter: parseFilter(spec),
    });
    const expected = revList([rev('main'), `--filter=${spec}`]);
    expect([...r.objects].sort()).toEqual(expected.objects);
    const blobs = new Set(revList([rev('main'), '--filter=object:type=blob']).objects);
    expect(blobs.size).toBeGreaterThan(100);
    // Some blobs are sent, some left out: the sizes decided.
    const sent = new Set(r.objects);
    expect([...blobs].some((b) => sent.has(b)) && [...blobs].some((b) => !sent.has(b))).toBe(true);
    expect(single.filter((o) => blobs.has(o))).toEqual([]);
    expect([...blobs].every((b) => batched.has(b))).toBe(true);
  });

  it('a connectivity check (verify) finds a missing blob or tree; a walk of a whole store passes', async () => {
    const ids = git(repo, ['rev-list', '--objects', 'main'])
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    // ls-tree -r lists the blobs (without -t, no trees); -d only the subtrees.
    const blob = git(repo, ['ls-tree', '-r', 'main']).trim().split(/\s+/)[2];
    const subtree = git(repo, ['ls-tree', '-d', 'main']).trim().split(/\s+/)[2];
    const without = async (gone: string): Promise<ObjectDatabase> =>
      new ObjectDatabase(await packedStore([], `${ids.filter((o) => o !== gone).join('\n')}\n`));
    const noBlob = await without(blob);
    await expect(reachableObjects([rev('main')], [], noBlob, { verify: true })).rejects.toMatchObject({
      code: 'OBJECT_NOT_FOUND',
      message: expect.stringContaining(blob),
    });
    // Without verify a walk reads no blob, so the same store passes: verify is what found it.
    await expect(reachableObjects([rev('main')], [], noBlob)).resolves.toBeDefined();
    await expect(
      reachableObjects([rev('main')], [], await without(subtree), { verify: true }),
    ).rejects.toMatchObject({
      code: 'OBJECT_NOT_FOUND',
      message: expect.stringContaining(subtree),
    });
    const whole = await reachableObjects([rev('main')], [], odb, { verify: true });
    expect([...whole.objects].sort()).toEqual(revList([rev('main')]).objects);
  });

  it('rejects unknown filters', () => {
    expect(() => parseFilter('sparse:oid=abc')).toThrow(
      expect.objectContaining({ code: 'FILTER_UNSUPPORTED' }),
    );
  });

  it('deepen N gives the commits and shallow boundary of git clone --depth N', async () => {
    for (const depth of [1, 3, 20]) {
      const dst = makeTempDir();
      dirs.push(dst);
      git(dst, [
        'clone',
        '-q',
        '--bare',
        '--no-local',
        '--depth',
        String(depth),
        '--single-branch',
        '--branch',
        'main',
        `file://${repo}`,
        'c',
      ]);
      const shallowFile = readFileSync(join(dst, 'c', 'shallow'), 'utf8')
        .trim()
        .split('\n')
        .sort();
      const cloneCommits = git(join(dst, 'c'), ['rev-list', '--all']).trim().split('\n').sort();
      const r = await reachableObjects([rev('main')], [], odb, { depth });
      expect([...r.shallow].sort()).toEqual(shallowFile);
      expect([...r.commits].sort()).toEqual(cloneCommits);
      const objects = git(join(dst, 'c'), ['rev-list', '--objects', '--all'])
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]);
      expect([...r.commits, ...r.objects].sort()).toEqual(objects.sort());
    }
  });

  it('fails with OBJECT_NOT_FOUND on a missing object when verifying', async () => {
    const missing = '1234567890123456789012345678901234567890';
    await expect(reachableObjects([missing], [], odb, { verify: true })).rejects.toMatchObject({
      code: 'OBJECT_NOT_FOUND',
    });
  });
});

describe('a fetch with many haves (git fetch sends 16 and more)', () => {
  it('compares with the trees of the sent commits parents only, and sends what git rev-list does', async () => {
    const boundary = 'main~1';
    const others = ['main~30', 'main~61', 'topic-1', 'topic-2', 'v60', 'main~120', 'light-40'];
    const haveOids = [boundary, ...others].map(rev);
    const { walkOdb, reads } = recordReads(odb);
    const r = await reachableObjects([rev('main')], haveOids, walkOdb);
    const expected = revList([rev('main'), '--not', ...haveOids]);
    expect([...r.commits].sort()).toEqual(expected.commits);
    expect([...r.objects].sort()).toEqual(expected.objects);
    // The parent's root tree is compared with (and a thin-pack base); the other haves' are not
    // read at all: their commits lie below it, and git marks only the edges' trees.
    expect(reads).toContain(rev(`${boundary}^{tree}`));
    expect(r.clientHas(rev(`${boundary}^{tree}`))).toBe(true);
    for (const h of others) expect(reads, h).not.toContain(rev(`${h}^{tree}`));
  });

  it('merges: each parent the client has is an edge; the result is git rev-list', async () => {
    // main~1^2 is the last topic's tip (a merge's second parent): fetch the merge and the commit
    // above it against the first parent's history and the topic, among unrelated older haves.
    const merge = git(repo, ['rev-list', '--merges', '-n', '1', 'main']).trim();
    const haves = [`${merge}^1`, `${merge}^2`, 'main~100', 'topic-1', 'v120'].map(rev);
    const { walkOdb, reads } = recordReads(odb);
    const r = await reachableObjects([rev('main')], haves, walkOdb);
    const expected = revList([rev('main'), '--not', ...haves]);
    expect([...r.commits].sort()).toEqual(expected.commits);
    expect([...r.objects].sort()).toEqual(expected.objects);
    expect(reads).toContain(rev(`${merge}^2^{tree}`));
    expect(reads).not.toContain(rev('main~100^{tree}'));
  });

  it('a shallow client keeps every have as an edge (git is aggressive there too)', async () => {
    const haveOids = ['main~1', 'main~30'].map(rev);
    const { walkOdb, reads } = recordReads(odb);
    await reachableObjects([rev('main')], haveOids, walkOdb, { clientShallow: [rev('main~30')] });
    expect(reads).toContain(rev('main~30^{tree}'));
  });
});

/** A store holding the pack `git pack-objects <args> --stdout` writes from `input`. */
async function packedStore(args: string[], input: string): Promise<MemoryPackStore> {
  const packed = new MemoryPackStore();
  const writer = packed.newPack();
  await indexPack(gitStream(repo, ['pack-objects', ...args, '--stdout'], input), writer, packed);
  packed.publish(writer.packId);
  return packed;
}

/** A store that records which ids were looked up alone and which in batches. */
function countingStore(inner: PackStore): { store: PackStore; single: string[]; batched: Set<string> } {
  const single: string[] = [];
  const batched = new Set<string>();
  const counting: PackStore = {
    lookup: (oid) => {
      single.push(oid);
      return inner.lookup(oid);
    },
    lookupMany: (oids) => {
      for (const o of oids) batched.add(o);
      return inner.lookupMany(oids);
    },
    isEmpty: () => inner.isEmpty(),
    readPack: (id, offset, length) => inner.readPack(id, offset, length),
  };
  return { store: counting, single, batched };
}
