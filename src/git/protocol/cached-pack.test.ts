/**
 * Cached packs: a push that brings a whole history leaves a pack that later full clones receive
 * byte for byte, without a walk; any other request, or a clone after the refs moved, walks.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitTry, makeRepo, TempDirs } from '../../../test/helpers/git';
import { gitOk, type NodeGitServer, startNodeGitServer } from '../../../test/helpers/node-git-server';
import { hexToBytes } from '../oid';
import { PushLinks } from './push-links';

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
    const cached = await server.repo('cached').cachedPack.get();
    expect(cached).not.toBeNull();
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
      const cached = await repo.cachedPack.get();
      const stored = await repo.packs.readPack(cached?.packId ?? 0, 0, cached?.size ?? 0);
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
    const run = await gitOk(tmp(), [
      '-c',
      'transfer.fsckObjects=true',
      'clone',
      '--progress',
      '--mirror',
      url,
      dst,
    ]);
    expect(run.stderr).toMatch(/pack-reused [1-9]/);
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(git(dst, ['cat-file', '-p', 'HEAD:later.txt'])).toBe('pushed after the first push\n');
    const listed = (await gitOk(tmp(), ['ls-remote', '--refs', url])).stdout.replace(/\t/g, ' ');
    expect(git(dst, ['show-ref'])).toBe(listed);
  });

  it('after an unmerged branch is deleted, clones walk and do not get its objects', async () => {
    const url = `${server.url}/deleted.git`;
    const work = join(tmp(), 'w');
    git(tmp(), ['clone', '-q', '--mirror', source, work]);
    const lonely = git(work, ['commit-tree', '-m', 'only on a branch that goes away', 'HEAD^{tree}']).trim();
    git(work, ['update-ref', 'refs/heads/lonely', lonely]);
    await gitOk(work, ['push', '--mirror', url]);
    expect((await server.repo('deleted').cachedPack.get())?.tips).toContain(lonely);
    await gitOk(work, ['push', '-q', url, ':refs/heads/lonely']);
    const dst = join(tmp(), 'c');
    const run = await gitOk(tmp(), ['clone', '--progress', '--mirror', url, dst]);
    expect(run.stderr).toMatch(/pack-reused 0/);
    git(dst, ['fsck', '--full', '--strict', '--no-dangling']);
    expect(gitTry(dst, ['cat-file', '-e', lonely]).code).not.toBe(0);
  });
});

describe('PushLinks.isClosureOf', () => {
  const oid = (c: string) => c.repeat(40);
  const blob = oid('b');
  const tree = oid('e');
  const commit = oid('c');
  const enc = new TextEncoder();
  const treeData = new Uint8Array([...enc.encode('100644 a.txt\0'), ...hexToBytes(blob)]);
  const commitData = enc.encode(`tree ${tree}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nm\n`);
  /** The links of the tree and commit above, with `packed` as the pack's objects. */
  const linksWith = (...packed: string[]) => {
    const links = new PushLinks();
    links.visit('tree', treeData);
    links.visit('commit', commitData);
    for (const o of packed) links.addPacked(hexToBytes(o));
    return links;
  };

  it('holds for exactly the closure of the tips', () => {
    expect(linksWith(commit, tree, blob).isClosureOf([commit])).toBe(true);
  });
  it('fails with an object nothing points to', () => {
    expect(linksWith(commit, tree, blob, oid('d')).isClosureOf([commit])).toBe(false);
  });
  it('fails when a pointed-to object is outside the pack', () => {
    expect(linksWith(commit, tree).isClosureOf([commit])).toBe(false);
  });
  it('fails when a tip is outside the pack', () => {
    expect(linksWith(commit, tree, blob).isClosureOf([commit, oid('f')])).toBe(false);
  });
  it("keeps the pack's objects apart from the ids they point to", () => {
    const links = linksWith(commit, tree, commit, oid('d'));
    expect(links.packedSize).toBe(3);
    expect(new Set(links.packed())).toEqual(new Set([commit, tree, oid('d')]));
    expect([links.isPacked(commit), links.isPacked(blob), links.isPacked(oid('f'))]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
