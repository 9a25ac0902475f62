// Histories of a given shape (any parents, any dates) made with git fast-import: for walks that
// must agree with C git on linear, branching, criss-cross, octopus and unrelated histories.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, makeTempDir } from './git';
import type { Rng } from './prng';

export interface DagCommit {
  /** Indexes of earlier commits; none for a root. */
  readonly parents: readonly number[];
  /** Committer time in seconds. */
  readonly time: number;
}

export interface DagHistory {
  readonly dir: string;
  /** The oid of each commit, by index. */
  readonly oids: string[];
}

/** A bare repository holding `commits` (each commit without children has a branch of its own). */
export function importDag(commits: readonly DagCommit[]): DagHistory {
  const dir = makeTempDir('gitflare-dag-');
  git(dir, ['init', '-q', '-b', 'main', '--bare']);
  const lines: string[] = [];
  const hasChild = new Set<number>();
  commits.forEach((c, i) => {
    for (const p of c.parents) {
      if (p >= i) throw new Error(`commit ${i}: parent ${p} is not an earlier commit`);
      hasChild.add(p);
    }
    // A commit without `from` on an existing branch would get its tip as parent.
    if (c.parents.length === 0) lines.push('reset refs/heads/work');
    const message = `c${i}\n`;
    const content = `file ${i}\n`;
    lines.push(
      'commit refs/heads/work',
      `mark :${i + 1}`,
      `committer C O Mitter <c@example.com> ${c.time} +0000`,
    );
    lines.push(`data ${message.length}`, message.slice(0, -1));
    c.parents.forEach((p, k) => {
      lines.push(`${k === 0 ? 'from' : 'merge'} :${p + 1}`);
    });
    lines.push(`M 100644 inline f${i % 5}`, `data ${content.length}`, content);
  });
  commits.forEach((_, i) => {
    if (!hasChild.has(i)) lines.push(`reset refs/heads/t${i}`, `from :${i + 1}`, '');
  });
  lines.push('reset refs/heads/work', '');
  const marks = join(dir, 'marks');
  git(dir, ['fast-import', '--quiet', `--export-marks=${marks}`], `${lines.join('\n')}\n`);
  const oids: string[] = [];
  for (const line of readFileSync(marks, 'utf8').trim().split('\n')) {
    const [mark, oid] = line.split(' ');
    oids[Number(mark.slice(1)) - 1] = oid;
  }
  return { dir, oids };
}

/** `count` commits in a line, a minute apart. */
export function linearDag(count: number, start = 1_600_000_000): DagCommit[] {
  return Array.from({ length: count }, (_, i) => ({ parents: i === 0 ? [] : [i - 1], time: start + 60 * i }));
}

export interface RandomDagOptions {
  /** Separate root commits (unrelated histories); the first commits are the roots. */
  readonly roots?: number;
  /** Branches growing side by side. */
  readonly branches?: number;
  /** Share of commits merging other branches in. */
  readonly merges?: number;
  /**
   * Share of the merges that take a recent commit rather than a branch's tip (two branches
   * merging each other's older commits: criss-crosses, several best merge bases).
   */
  readonly behind?: number;
  /** Share of the merges that take two or three other branches (octopus). */
  readonly octopus?: number;
  /** Share of commits dated a long way before their parents (clock skew). */
  readonly skewed?: number;
}

/** A random history of branches that fork, merge each other (octopus too), and lie about dates. */
export function randomDag(r: Rng, count: number, options: RandomDagOptions = {}): DagCommit[] {
  const { roots = 1, branches = 5, merges = 0.2, behind = 0, octopus = 0.3, skewed = 0 } = options;
  const commits: DagCommit[] = [];
  const tips: number[] = [];
  let time = 1_600_000_000;
  // No two commits share a date: git orders bases of equal date as its walk found them.
  const used = new Set<number>();
  for (let i = 0; i < count; i++) {
    time += 60 + r.int(600);
    let date = r.next() < skewed ? time - 10_000_000 - r.int(1_000_000) : time;
    while (used.has(date)) date++;
    used.add(date);
    if (i < roots) {
      commits.push({ parents: [], time: date });
      tips.push(i);
      continue;
    }
    const b = tips.length < branches && r.next() < 0.3 ? -1 : r.int(tips.length);
    const first = b === -1 ? tips[r.int(tips.length)] : tips[b];
    const parents = [first];
    if (r.next() < merges) {
      const extra = r.next() < octopus ? 2 + r.int(2) : 1;
      for (let k = 0; k < extra; k++) {
        const other = r.next() < behind ? Math.max(0, i - 1 - r.int(12)) : tips[r.int(tips.length)];
        if (!parents.includes(other)) parents.push(other);
      }
    }
    commits.push({ parents, time: date });
    if (b === -1) tips.push(i);
    else tips[b] = i;
  }
  return commits;
}
