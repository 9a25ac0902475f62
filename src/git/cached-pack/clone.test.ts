/**
 * Cached packs: a push that brings a whole history leaves a pack that later full clones receive
 * byte for byte, without a walk; any other request, or a clone after the refs moved, walks.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitTry, makeRepo, strictCloneArgs, TempDirs } from '../../../test/helpers/git';
import { gitOk, type NodeGitServer, startNodeGitServer } from '../../../test/helpers/node-git-server';

let server: NodeGitServer;
let source: string;
const dirs = new TempDirs();

beforeAll(async () => {
  server = await startNodeGitServer();
  source = makeRepo(120);
  dirs.keep(source);
  await gitOk(source, ['push', '--mirror', `${server.url}/cached.git`]);
});

afterAll(async () => {
  await server.close();
  dirs.removeAll();
});

const tmp = () => dirs.make();

function packFile(gitDir: string): Buffer {
  const dir = join(gitDir, 'objects', 'pack');
  const packs = readdirSync(dir).filter((f) => f.endsWith('.pack'));
  expect(packs).toHaveLength(1);
  return readFileSync(join(dir, packs[0]));
}

describe('cached pack', () => {
  it('the first push of a whole history is remembered with every ref as a tip', async () => {
    const layers = await server.repo('cached').cachedPack.get();
    expect(layers).toHaveLength(1);
    const cached = layers[0];
    const refOids = new Set(git(source, ['for-each-ref', '--format=%(objectname)']).trim().split('\n'));
    expect(new Set(cached?.tips)).toEqual(refOids);
    expect(cached?.objectCount).toBe(
      Number(/in-pack: (\d+)/.exec(git(source, ['count-objects', '-v']))?.[1]),
    );
  });

  it.each([2, 0] as const)(
    'a full clone (protocol v%i) receives the stored pack byte for byte',
    async (version) => {
      const dst = join(tmp(), 'c');
      const run = await gitOk(tmp(), [
        '-c',
        `protocol.version=${version}`,
        'clone',
        '--progress',
        '--mirror',
        `${server.url}/cached.git`,
        dst,
      ]);
      expect(run.stderr).toMatch(/pack-reused [1-9]/);
      git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
      expect(git(dst, ['show-ref'])).toBe(git(source, ['show-ref']));
      const repo = server.repo('cached');
      const [{ packs }] = await repo.cachedPack.get();
      expect(packs).toHaveLength(1);
      const stored = await repo.packs.readPack(packs[0].packId, 0, packs[0].size);
      expect(Buffer.from(stored).equals(packFile(dst))).toBe(true);
    },
  );

  it('a single-branch clone walks and gets only that branch', async () => {
    const dst = join(tmp(), 'one');
    const run = await gitOk(tmp(), [
      'clone',
      '--progress',
      '--bare',
      '--single-branch',
      '--no-tags',
      `${server.url}/cached.git`,
      dst,
    ]);
    expect(run.stderr).toMatch(/pack-reused 0/);
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(git(dst, ['rev-parse', 'HEAD'])).toBe(git(source, ['rev-parse', 'HEAD']));
  });

  it('after the refs move on, clones get the cached pack plus the new objects, each once', async () => {
    const url = `${server.url}/moved.git`;
    await gitOk(source, ['push', '--mirror', url]);
    const work = join(tmp(), 'w');
    await gitOk(tmp(), ['clone', '-q', url, work]);
    // A new file, and an old version of a file restored (an object the cached pack holds).
    writeFileSync(join(work, 'later.txt'), 'pushed after the first push\n');
    const file = git(work, ['ls-files']).split('\n')[0];
    git(work, ['checkout', 'HEAD~5', '--', file]);
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '-m', 'later']);
    await gitOk(work, ['push', '-q', 'origin', 'HEAD']);
    const dst = join(tmp(), 'c');
    // fsckObjects makes the client refuse an object sent twice.
    const run = await gitOk(tmp(), strictCloneArgs(url, dst));
    expect(run.stderr).toMatch(/pack-reused [1-9]/);
    // The push sent the restored file again: it cannot be a layer (the clone would get it twice).
    expect(await server.repo('moved').cachedPack.get()).toHaveLength(1);
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(git(dst, ['cat-file', '-p', 'HEAD:later.txt'])).toBe('pushed after the first push\n');
    const listed = (await gitOk(tmp(), ['ls-remote', '--refs', url])).stdout.replace(/\t/g, ' ');
    expect(git(dst, ['show-ref'])).toBe(listed);
  });

  it('a single-branch clone past a layer gets the annotated tag on the new commits (include-tag)', async () => {
    const url = `${server.url}/tagged.git`;
    // Only main: the layer's one tip is behind what the clone wants, so the clone walks past it.
    await gitOk(source, ['push', '-q', url, 'main']);
    const work = join(tmp(), 'w');
    await gitOk(tmp(), ['clone', '-q', '--single-branch', '--branch', 'main', url, work]);
    writeFileSync(join(work, 'tagged.txt'), 'released\n');
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '-m', 'release']);
    git(work, ['tag', '-a', 'v-new', '-m', 'new release']);
    await gitOk(work, ['push', '-q', 'origin', 'main', 'v-new']);
    const dst = join(tmp(), 'c');
    await gitOk(tmp(), ['clone', '-q', '--bare', '--single-branch', '--branch', 'main', url, dst]);
    expect(git(dst, ['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(
      git(work, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/main', 'refs/tags/v-new']),
    );
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    // Positive control: without include-tag the tag stays behind.
    const bare = join(tmp(), 'n');
    await gitOk(tmp(), [
      'clone',
      '-q',
      '--bare',
      '--no-tags',
      '--single-branch',
      '--branch',
      'main',
      url,
      bare,
    ]);
    expect(git(bare, ['for-each-ref', '--format=%(refname)']).trim()).toBe('refs/heads/main');
  });

  it('after an unmerged branch is deleted, clones walk and do not get its objects', async () => {
    const url = `${server.url}/deleted.git`;
    const work = join(tmp(), 'w');
    git(tmp(), ['clone', '-q', '--mirror', source, work]);
    const lonely = git(work, ['commit-tree', '-m', 'only on a branch that goes away', 'HEAD^{tree}']).trim();
    git(work, ['update-ref', 'refs/heads/lonely', lonely]);
    await gitOk(work, ['push', '--mirror', url]);
    expect((await server.repo('deleted').cachedPack.get()).at(-1)?.tips).toContain(lonely);
    await gitOk(work, ['push', '-q', url, ':refs/heads/lonely']);
    const dst = join(tmp(), 'c');
    const run = await gitOk(tmp(), ['clone', '--progress', '--mirror', url, dst]);
    expect(run.stderr).toMatch(/pack-reused 0/);
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(gitTry(dst, ['cat-file', '-e', lonely]).code).not.toBe(0);
  });

  it('a push on top of the history adds a layer; clones get both packs as stored, without a walk', async () => {
    const url = `${server.url}/layers.git`;
    const work = join(tmp(), 'w');
    git(tmp(), ['clone', '-q', '--mirror', source, work]);
    await gitOk(work, ['push', '-q', url, 'HEAD~40:refs/heads/main']);
    await gitOk(work, ['push', '--mirror', url]);
    const layers = await server.repo('layers').cachedPack.get();
    expect(layers).toHaveLength(2);
    const [first, both] = layers;
    expect(first.tips).toEqual([git(work, ['rev-parse', 'HEAD~40']).trim()]);
    const refOids = new Set(git(work, ['for-each-ref', '--format=%(objectname)']).trim().split('\n'));
    expect(new Set(both.tips)).toEqual(refOids);

    const dst = join(tmp(), 'c');
    const run = await gitOk(tmp(), strictCloneArgs(url, dst));
    const count = both.objectCount;
    expect(run.stderr).toMatch(new RegExp(`Total ${count} \\(.*pack-reused ${count}`));
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(git(dst, ['show-ref'])).toBe(git(work, ['show-ref']));
    // The clone's pack is the stored packs' entries, one after the other.
    const file = packFile(dst);
    const entries = await Promise.all(
      both.packs.map((p) => server.repo('layers').packs.readPack(p.packId, 12, p.size - 32)),
    );
    expect(file.subarray(12, file.length - 20).equals(Buffer.concat(entries))).toBe(true);
  });

  it('after the branch of a layer is deleted unmerged, clones use the layer before it', async () => {
    const url = `${server.url}/fallback.git`;
    const work = join(tmp(), 'w');
    git(tmp(), ['clone', '-q', '--mirror', source, work]);
    await gitOk(work, ['push', '--mirror', url]);
    const lonely = git(work, ['commit-tree', '-p', 'HEAD', '-m', 'lonely', 'HEAD^{tree}']).trim();
    await gitOk(work, ['push', '-q', url, `${lonely}:refs/heads/lonely`]);
    const repo = server.repo('fallback');
    expect((await repo.cachedPack.get()).at(-1)?.tips).toContain(lonely);
    await gitOk(work, ['push', '-q', url, ':refs/heads/lonely']);
    const [first] = await repo.cachedPack.get();
    const dst = join(tmp(), 'c');
    const run = await gitOk(tmp(), ['clone', '--progress', '--mirror', url, dst]);
    expect(run.stderr).toMatch(new RegExp(`pack-reused ${first.objectCount}`));
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(gitTry(dst, ['cat-file', '-e', lonely]).code).not.toBe(0);
    expect(git(dst, ['show-ref'])).toBe(git(work, ['show-ref']));
  });
});
