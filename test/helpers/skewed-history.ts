// A history whose commit dates lie (clock skew), made with git fast-import: branches forking
// off and merging back, a share of the commits dated long before their parents. Walks that
// trust dates go wrong on it; git's answers of reachability (merge-base, full rev-lists) do not.
import { MemoryCommitGraph } from '../../src/git/memory/commit-graph';
import { MemoryPackStore } from '../../src/git/memory/pack-store';
import { ObjectDatabase } from '../../src/git/odb';
import { indexPack } from '../../src/git/pack/index-pack';
import { git, gitStream, makeTempDir } from './git';
import { rng } from './prng';

export interface SkewedHistory {
  readonly dir: string;
  /** Every commit, oldest first (fast-import order). */
  readonly commits: string[];
}

/** `count` commits on up to `branches` branches; about `skewed` of them dated in the distant past. */
export function makeSkewedHistory(seed: number, count: number, branches = 6, skewed = 0.2): SkewedHistory {
  const r = rng(seed);
  const dir = makeTempDir('gitflare-skew-');
  git(dir, ['init', '-q', '-b', 'main', '--bare']);
  const tips: (number | null)[] = Array.from({ length: branches }, () => null);
  const lines: string[] = [];
  let time = 1_600_000_000;
  for (let mark = 1; mark <= count; mark++) {
    const b = mark === 1 ? 0 : r.int(branches);
    // A new branch forks from main; now and then a branch merges another one in.
    const first = tips[b] ?? tips[0];
    const other = r.int(branches);
    const merge = other !== b && tips[other] !== null && r.next() < 0.15 ? tips[other] : null;
    time += 60 + r.int(600);
    const date = r.next() < skewed ? time - 10_000_000 - r.int(1_000_000) : time;
    lines.push(`commit refs/heads/${b === 0 ? 'main' : `b${b}`}`, `mark :${mark}`);
    lines.push(`committer C O Mitter <c@example.com> ${date} +0000`, 'data 3', `c${mark % 10}`);
    if (first !== null) lines.push(`from :${first}`);
    if (merge !== null) lines.push(`merge :${merge}`);
    const content = `file ${mark}\n`;
    lines.push(`M 100644 inline f${mark % 7}`, `data ${content.length}`, content);
    tips[b] = mark;
  }
  git(dir, ['fast-import', '--quiet'], `${lines.join('\n')}\n`);
  const commits = git(dir, ['rev-list', '--all', '--reverse', '--topo-order']).trim().split('\n');
  return { dir, commits };
}

/** The history's objects in a memory store, read through a commit graph of its own. */
export async function skewedOdb(dir: string): Promise<{ odb: ObjectDatabase; graph: MemoryCommitGraph }> {
  const store = new MemoryPackStore();
  const writer = store.newPack();
  await indexPack(gitStream(dir, ['pack-objects', '--revs', '--all', '--stdout'], ''), writer, store);
  store.publish(writer.packId);
  const graph = new MemoryCommitGraph();
  return { odb: new ObjectDatabase(store, { commitGraph: graph }), graph };
}
