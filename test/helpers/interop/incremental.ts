/**
 * Incremental fetch: full and shallow clones made before the repository moves on fetch again;
 * against our server and against git's, they must get the same refs, commits and shallow
 * file, and a pack of the same object count (only what is new).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { git, makeTempDir } from '../git';
import { gitOk } from '../node-git-server';
import { type ClientState, clientState, type Version } from './compare';

export interface IncrementalSetup {
  /** Fetch URLs: ours and the file:// reference. */
  readonly ours: string;
  readonly reference: string;
  /** A work tree whose new commits are pushed to every target. */
  readonly work: string;
  readonly pushTargets: readonly string[];
  readonly versions: readonly Version[];
  /** Directories made, for the caller to remove. */
  readonly dirs: string[];
}

/** The object count of the pack a fetch received, from the server's "Total N" line. */
export function objectsReceived(stderr: string): number {
  const m = /remote: Total (\d+) /.exec(stderr);
  if (!m) throw new Error(`no object count in:\n${stderr}`);
  return Number(m[1]);
}

export async function checkIncrementalFetch(s: IncrementalSetup, tag: string): Promise<void> {
  const clones: { version: Version; kind: string; ours: string; theirs: string }[] = [];
  for (const version of s.versions) {
    for (const kind of ['full', 'shallow']) {
      const extra = kind === 'shallow' ? ['--depth', '3'] : [];
      const pair = { version, kind, ours: makeTempDir(), theirs: makeTempDir() };
      s.dirs.push(pair.ours, pair.theirs);
      for (const [dir, u] of [
        [pair.ours, s.ours],
        [pair.theirs, s.reference],
      ]) {
        await gitOk(dir, ['-c', `protocol.version=${version}`, 'clone', '-q', '--bare', ...extra, u, 'c']);
      }
      clones.push(pair);
    }
  }
  // Two new commits on main and a new branch with a rename, pushed everywhere.
  git(s.work, ['checkout', '-q', 'main']);
  for (const n of [1, 2]) git(s.work, ['commit', '-q', '--allow-empty', '-m', `${tag} empty ${n}`]);
  git(s.work, ['checkout', '-q', '-b', `feature-${tag}`]);
  git(s.work, ['mv', 'README.md', `README-${tag}.txt`]);
  git(s.work, ['commit', '-q', '-m', `${tag} rename`]);
  for (const target of s.pushTargets) await gitOk(s.work, ['push', '-q', target, 'main', `feature-${tag}`]);
  git(s.work, ['checkout', '-q', 'main']);

  for (const pair of clones) {
    const states: Omit<ClientState, 'notes' | 'dir'>[] = [];
    const received: number[] = [];
    for (const dir of [pair.ours, pair.theirs]) {
      const c = join(dir, 'c');
      const args = ['-c', `protocol.version=${pair.version}`, 'fetch', '--progress', 'origin'];
      const r = await gitOk(c, [...args, '+refs/heads/*:refs/heads/*']);
      received.push(objectsReceived(r.stderr));
      states.push(await clientState(c));
    }
    const [ours, theirs] = states;
    const what = `v${pair.version} ${pair.kind}`;
    expect(ours.refs, what).toBe(theirs.refs);
    expect(ours.commits, what).toBe(theirs.commits);
    expect(ours.shallow, what).toBe(theirs.shallow);
    expect(received[0], what).toBe(received[1]);
    expect(received[0], what).toBeGreaterThan(0);
  }
}
