// The whole rebuild of the cached pack, on a server of its own with a small repair window (20
// objects) and small steps (40 objects walked or written per maintenance run): a branch pushed
// and deleted unmerged leaves more than the window past the usable layer, so maintenance rebuilds
// the cached pack whole, over several runs (as over several alarms). The pack it writes passes
// `git index-pack --strict` and `git verify-pack`, clones from it are its bytes as stored (no walk)
// holding exactly the objects reachable from the refs, and a push during the rebuild is kept.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitTry, makeTempDir, removeDir, strictCloneArgs } from '../helpers/git';
import { type GitStats, gitStats, runMaintenance } from '../helpers/maintenance';
import { waitFor } from '../helpers/wait';
import { type RunningServer, startServer } from './server-process';

let server: RunningServer;
let user: GitUser;
const work = makeTempDir('gitflare-rebuild-');

beforeAll(async () => {
  server = await startServer({
    env: { REPAIR_WINDOW_OBJECTS: '20', REBUILD_STEP_OBJECTS: '40', REBUILD_STEP_DELAY_MS: '3600000' },
  });
  user = await createUser(server.url, 'rebuild');
});

afterAll(async () => {
  await server?.stop();
  removeDir(work);
});

const statsOf = (repo: string): Promise<GitStats> => gitStats(server.url, user, repo);

/** `n` commits on the checked-out branch, each editing a big file (deltas) and adding two in a subdirectory. */
function commits(src: string, tag: string, n: number): void {
  for (let i = 0; i < n; i++) {
    writeFileSync(join(src, 'big.txt'), `${'a line of the big file\n'.repeat(300)}${tag} ${i}\n`);
    writeFileSync(join(src, 'dir', `${tag}-${i}.txt`), `${tag} ${i}\n`);
    writeFileSync(join(src, 'dir', `${tag}-${i}-b.txt`), `${tag} ${i} b\n`);
    git(src, ['add', '-A']);
    git(src, ['commit', '-q', '-m', `${tag} ${i}`]);
  }
}

/**
 * A repository pushed in three layers around a branch deleted unmerged: more than 20 objects lie
 * past the first layer, the last one a clone could use. Returns the source and the remote's URL.
 */
async function seeded(name: string): Promise<{ src: string; url: string }> {
  await createRepo(server.url, user, name);
  const url = authUrl(server.url, user, user.username, name);
  const src = join(work, name);
  git(work, ['init', '-q', '-b', 'main', src]);
  mkdirSync(join(src, 'dir'));
  commits(src, 'main', 6);
  git(src, ['tag', '-a', '-m', 'first release', 'v1']);
  git(src, ['push', '-q', url, 'main', 'v1']);
  git(src, ['checkout', '-q', '-b', 'gone']);
  commits(src, 'gone', 6);
  git(src, ['push', '-q', url, 'gone']);
  git(src, ['push', '-q', url, ':gone']);
  git(src, ['checkout', '-q', 'main']);
  git(src, ['branch', '-q', '-D', 'gone']);
  commits(src, 'later', 3);
  git(src, ['push', '-q', url, 'main']);
  return { src, url };
}

/** The objects reachable from the source's refs, sorted (ids only). */
function reachableIds(src: string): string[] {
  return git(src, ['rev-list', '--objects', '--all'])
    .trim()
    .split('\n')
    .map((l) => l.slice(0, 40))
    .sort();
}

/** Runs maintenance until the cached pack is one pack of `objects` objects; how many runs it took. */
async function maintainUntilRebuilt(repo: string, objects: number): Promise<number> {
  let runs = 0;
  let last: GitStats | null = null;
  await waitFor(
    `the cached pack of ${repo} rebuilt whole with ${objects} objects`,
    async () => {
      expect(await runMaintenance(server.url, user, repo)).toBe(200);
      runs += 1;
      last = await statsOf(repo);
      return (
        last.cached_pack.length === 1 &&
        last.cached_pack[0].packs === 1 &&
        last.cached_pack[0].objects === objects
      );
    },
    { timeoutMs: 120_000, detail: () => JSON.stringify(last?.cached_pack) },
  );
  return runs;
}

test('past the window, the cached pack is rebuilt whole over several runs, into a strict pack clones take as stored', async () => {
  const { src, url } = await seeded('whole');
  const ids = reachableIds(src);
  expect(ids.length).toBeGreaterThan(40);
  const before = await statsOf('whole');
  expect(before.cached_pack).toHaveLength(3);

  // One run (one alarm) walks 40 objects: nothing changes for readers yet.
  expect(await runMaintenance(server.url, user, 'whole')).toBe(200);
  const during = await statsOf('whole');
  expect(during.cached_pack).toEqual(before.cached_pack);
  expect(during.live_packs).toBe(before.live_packs);
  const walked = join(work, 'whole-walked');
  const walkedClone = gitTry(work, strictCloneArgs(url, walked));
  expect(walkedClone.code).toBe(0);
  // The clone takes the first layer and walks the rest.
  expect(walkedClone.stderr).not.toMatch(new RegExp(`Total ${ids.length} .*pack-reused ${ids.length}\\b`));

  // The rebuild resumes where it stopped and finishes.
  const runs = await maintainUntilRebuilt('whole', ids.length);
  expect(runs).toBeGreaterThan(1);
  const after = await statsOf('whole');
  // The three pushed packs are retired; the deleted branch's objects, in no other pack, went
  // first into a pack of their own: the new pack and that one are live.
  expect(after.retired_packs).toBe(3);
  expect(after.live_packs).toBe(2);
  expect(after.objects).toBe(before.objects);

  // A clone is the new pack as stored: every object reused, none walked.
  const dest = join(work, 'whole-clone');
  const cloned = gitTry(work, strictCloneArgs(url, dest));
  expect(cloned.code).toBe(0);
  expect(cloned.stderr).toMatch(new RegExp(`Total ${ids.length} .*pack-reused ${ids.length}\\b`));
  git(dest, ['fsck', '--full', '--strict', '--no-dangling']);
  expect(reachableIds(dest)).toEqual(ids);
  expect(git(dest, ['for-each-ref', '--format=%(objectname) %(refname)'])).toBe(
    git(src, ['for-each-ref', '--format=%(objectname) %(refname)']),
  );
  // The pack as received, byte for byte the stored one: git's strictest reading of it.
  const packDir = join(dest, 'objects', 'pack');
  const packs = readdirSync(packDir).filter((f) => f.endsWith('.pack'));
  expect(packs).toHaveLength(1);
  const copy = join(work, 'rebuilt.pack');
  copyFileSync(join(packDir, packs[0]), copy);
  git(dest, ['index-pack', '--strict', copy]);
  const verified = git(dest, ['verify-pack', '-v', join(work, 'rebuilt.idx')]);
  expect(verified).toMatch(/: ok\s*$/);
  // Deltas were kept as stored, not all written whole.
  expect(verified).toMatch(/chain length = 1: \d+ objects?/);
});

test('a push during the rebuild is kept', async () => {
  const { src, url } = await seeded('pushed');
  const snapshot = reachableIds(src);
  expect(await runMaintenance(server.url, user, 'pushed')).toBe(200);
  // A push between two steps of the rebuild.
  commits(src, 'during', 1);
  git(src, ['push', '-q', url, 'main']);
  await maintainUntilRebuilt('pushed', snapshot.length);

  // The rebuilt layer has the refs of its start; the clone walks the pushed commit past it.
  const dest = join(work, 'pushed-clone');
  const cloned = gitTry(work, strictCloneArgs(url, dest));
  expect(cloned.code).toBe(0);
  git(dest, ['fsck', '--full', '--strict', '--no-dangling']);
  expect(reachableIds(dest)).toEqual(reachableIds(src));
  expect(git(dest, ['log', '-1', '--format=%s', 'main']).trim()).toBe('during 0');

  // The next repair catches the cached pack up with the push: a clone is then stored packs only.
  const ids = reachableIds(src);
  await maintainUntilRebuilt('pushed', ids.length);
  const again = join(work, 'pushed-again');
  const recloned = gitTry(work, strictCloneArgs(url, again));
  expect(recloned.code).toBe(0);
  expect(recloned.stderr).toMatch(new RegExp(`Total ${ids.length} .*pack-reused ${ids.length}\\b`));
  expect(reachableIds(again)).toEqual(ids);
});
