// A repository that grows push by push keeps a cached pack of its whole history, in layers (one
// per push), so full clones stream the stored packs; a force push leaves clones on the layer
// before the rewritten commit, and they never receive it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitTry, strictCloneArgs } from '../helpers/git';
import { type GitStats, gitStats } from '../helpers/maintenance';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-layers-'));
let user: GitUser;

beforeAll(async () => {
  user = await createUser(base, 'layers');
  await createRepo(base, user, 'grown');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function layers(): Promise<GitStats['cached_pack']> {
  return (await gitStats(base, user, 'grown')).cached_pack;
}

/** A strict mirror clone: its stderr (with "pack-reused N") and directory. */
function clone(url: string, name: string): { stderr: string; dir: string } {
  const dir = join(work, name);
  const run = gitTry(work, strictCloneArgs(url, dir));
  expect(run.code).toBe(0);
  expect(gitTry(dir, ['fsck', '--full', '--strict', '--no-dangling']).code).toBe(0);
  return { stderr: run.stderr, dir };
}

test('eighteen pushes are one cached pack of at most sixteen layers; a force push makes clones fall back a layer', async () => {
  const url = authUrl(base, user, user.username, 'grown');
  const src = join(work, 'src');
  git(work, ['init', '-q', '-b', 'main', src]);
  for (let i = 0; i < 18; i++) {
    writeFileSync(join(src, 'file.txt'), `${'line\n'.repeat(100)}edit ${i}\n`);
    writeFileSync(join(src, `new-${i}.txt`), `file ${i}\n`);
    git(src, ['add', '-A']);
    git(src, ['commit', '-q', '-m', `commit ${i}`]);
    git(src, ['push', '-q', url, 'main']);
  }
  const grown = await layers();
  // The two oldest layers became one, twice.
  expect(grown).toHaveLength(16);
  expect(grown.map((l) => l.packs)).toEqual([3, ...Array.from({ length: 15 }, (_, i) => i + 4)]);
  const objects = Number(git(src, ['count-objects', '-v']).match(/count: (\d+)/)?.[1]);
  expect(grown[15].objects).toBe(objects);
  const whole = clone(url, 'whole');
  expect(whole.stderr).toMatch(new RegExp(`Total ${objects} .*pack-reused ${objects}\\b`));

  // Rewrite the last commit. git sends its tree and files again (it leaves out only what the new
  // commit's parents have), which the repository has: no layer. The last layer's tips still hold
  // the old commit, which no ref reaches now.
  const old = git(src, ['rev-parse', 'HEAD']).trim();
  git(src, ['commit', '-q', '--amend', '-m', 'rewritten']);
  git(src, ['push', '-q', '--force', url, 'main']);
  expect(await layers()).toEqual(grown);
  const rewritten = clone(url, 'rewritten');
  // The clone takes the layer before the old commit's and walks the rest.
  expect(rewritten.stderr).toMatch(new RegExp(`pack-reused ${grown[14].objects}\\b`));
  expect(gitTry(rewritten.dir, ['cat-file', '-e', old]).code).not.toBe(0);
  expect(git(rewritten.dir, ['log', '-1', '--format=%s', 'main']).trim()).toBe('rewritten');
  expect(git(rewritten.dir, ['rev-list', '--count', 'main']).trim()).toBe('18');
});
