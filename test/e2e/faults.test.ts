// Faults during a push, on a server of its own: a body cut off mid-stream, and the server killed
// and restarted while the Durable Object indexes a pack. Either way the repository stays as it
// was (same refs, same object count), still clones and passes `git fsck --full --strict`, and
// takes the next push. Also the configured size caps (MAX_OBJECT_BYTES, MAX_PUSH_BYTES,
// MAX_PUSH_OBJECTS), and a push whose id set spills to SQLite (PUSH_SPILL_IDS).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitBytes, gitTry } from '../helpers/git';
import { type GitStats, gitStats } from '../helpers/maintenance';
import { gitAsync } from '../helpers/node-git-server';
import { packOf, packRange, pushBody, rawPush, receivePackRequest } from '../helpers/packs';
import { type RunningServer, startServer } from './server-process';

const LIMITS = {
  MAX_OBJECT_BYTES: String(1024 * 1024),
  MAX_PUSH_BYTES: String(8 * 1024 * 1024),
  MAX_PUSH_OBJECTS: '100',
  // Every push of more than a few dozen ids spills its id set (see spill-store.ts).
  PUSH_SPILL_IDS: '40',
};
let server: RunningServer;
let user: GitUser;
/** A server and an account on it. */
interface Site {
  readonly base: string;
  readonly user: GitUser;
}
const main = (): Site => ({ base: server.url, user });
const work = mkdtempSync(join(tmpdir(), 'gitflare-faults-'));

beforeAll(async () => {
  server = await startServer({ env: LIMITS });
  user = await createUser(server.url, 'faults');
});

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Seed {
  readonly src: string;
  readonly baseOid: string;
  readonly tip: string;
  readonly pack: Uint8Array;
}

/** A repository with one pushed commit, and a local next commit of `blobs` random files to push. */
async function seed(name: string, blobs: number, blobBytes: number, at = main()): Promise<Seed> {
  await createRepo(at.base, at.user, name);
  const src = join(work, name);
  git(work, ['init', '-q', '-b', 'main', src]);
  git(src, ['commit', '-q', '--allow-empty', '-m', 'base']);
  git(src, ['push', '-q', authUrl(at.base, at.user, at.user.username, name), 'main']);
  const baseOid = git(src, ['rev-parse', 'main']).trim();
  const lines: string[] = [];
  for (let i = 0; i < blobs; i++) {
    const oid = git(src, ['hash-object', '-w', '--stdin'], randomBytes(blobBytes)).trim();
    lines.push(`100644 blob ${oid}\tr${i}.bin`);
  }
  const tree = git(src, ['mktree'], `${lines.join('\n')}\n`).trim();
  const tip = git(src, ['commit-tree', tree, '-p', baseOid, '-m', 'next']).trim();
  const pack = packRange(src, tip, baseOid);
  return { src, baseOid, tip, pack };
}

/** Start a push whose body trickles out; resolves once `sendBytes` are written (the rest never is). */
function trickle(url: string, body: Uint8Array, sendBytes: number, at = main()): Promise<{ abort(): void }> {
  const req = receivePackRequest(url, {
    username: at.user.username,
    password: at.user.token,
  });
  // The request dies with the connection; that is the point.
  req.on('error', (e: Error) => e);
  return new Promise((resolve) => {
    let sent = 0;
    const step = () => {
      const n = Math.min(64 * 1024, sendBytes - sent);
      req.write(body.subarray(sent, sent + n));
      sent += n;
      if (sent < sendBytes) setTimeout(step, 5);
      else setTimeout(() => resolve({ abort: () => req.destroy() }), 500);
    };
    step();
  });
}

function stats(name: string, at = main()): Promise<GitStats> {
  return gitStats(at.base, at.user, name);
}

/** Same refs as before, clones, passes fsck --strict, and a normal push still works. */
async function intact(at: Site, name: string, s: Seed, before: GitStats): Promise<void> {
  const url = authUrl(at.base, at.user, at.user.username, name);
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${s.baseOid}\trefs/heads/main\n`);
  expect(await stats(name, at)).toMatchObject(before);
  const dir = join(work, `${name}-clone-${Date.now()}`);
  git(work, ['clone', '-q', url, dir]);
  git(dir, ['fsck', '--full', '--strict']);
  git(s.src, ['push', '-q', url, `${s.tip}:refs/heads/main`]);
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${s.tip}\trefs/heads/main\n`);
}

test('an object over MAX_OBJECT_BYTES and a push over MAX_PUSH_BYTES are refused clearly', async () => {
  const big = await seed('big-object', 1, 1536 * 1024);
  const url = authUrl(server.url, user, user.username, 'big-object');
  const r = gitTry(big.src, ['push', url, `${big.tip}:refs/heads/main`]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/remote: fatal: .*1572\d+ bytes, limit 1048576/);
  expect(r.stderr).toContain('remote unpack failed: index-pack abnormal exit');

  // Over MAX_PUSH_BYTES (8 MiB here): refused while the body is still arriving.
  const huge = await seed('big-push', 12, 900 * 1024);
  const hugeUrl = authUrl(server.url, user, user.username, 'big-push');
  const before = await stats('big-push');
  const refused = await withTimeout(
    gitAsync(huge.src, ['push', hugeUrl, `${huge.tip}:refs/heads/main`]),
    60_000,
  );
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(
    /exceeds maximum allowed size \(8388608 bytes\)|remote end hung up|unexpected disconnect/,
  );
  // Nothing changed, and the server goes on answering.
  const listed = await withTimeout(gitAsync(work, ['ls-remote', hugeUrl, 'refs/heads/main']), 30_000);
  expect(listed.stdout).toBe(`${huge.baseOid}\trefs/heads/main\n`);
  expect(await stats('big-push')).toMatchObject(before);
});

test('a push of more objects than MAX_PUSH_OBJECTS is refused from its header, and nothing changes', async () => {
  const many = await seed('many-objects', 120, 16);
  const url = authUrl(server.url, user, user.username, 'many-objects');
  const before = await stats('many-objects');
  const r = gitTry(many.src, ['push', url, `${many.tip}:refs/heads/main`]);
  expect(r.code).not.toBe(0);
  // 120 blobs, their tree and the commit.
  expect(r.stderr).toContain('remote: fatal: pack has 122 objects, more than the 100 one push may bring');
  expect(r.stderr).toContain('remote unpack failed: index-pack abnormal exit');
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${many.baseOid}\trefs/heads/main\n`);
  expect(await stats('many-objects')).toMatchObject(before);
});

test('a push whose id set spills past PUSH_SPILL_IDS lands, clones and passes fsck --strict', async () => {
  // 90 blobs, their tree, the commit and its parent: past 40 ids the set spills twice.
  const s = await seed('spilled', 90, 16);
  const url = authUrl(server.url, user, user.username, 'spilled');
  const before = await stats('spilled');
  git(s.src, ['push', '-q', url, `${s.tip}:refs/heads/main`]);
  const after = await stats('spilled');
  expect(after.spill.written).toBeGreaterThan(before.spill.written);
  // The push dropped what it spilled once done with it.
  expect(after.spill.held).toBe(0);
  expect(after.objects).toBe(before.objects + 92);
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${s.tip}\trefs/heads/main\n`);
  const dir = join(work, 'spilled-clone');
  git(work, ['clone', '-q', url, dir]);
  git(dir, ['fsck', '--full', '--strict']);
  expect(git(dir, ['rev-list', '--objects', '--count', 'HEAD']).trim()).toBe('94');
  // What a pushed commit points to is still checked: one whose tree is neither sent nor stored is refused.
  const unsent = git(s.src, ['hash-object', '-w', '--stdin'], 'never pushed\n').trim();
  const tree = git(s.src, ['mktree'], `100644 blob ${unsent}\tz\n`).trim();
  const orphan = git(s.src, ['commit-tree', tree, '-p', s.tip, '-m', 'x']).trim();
  const missingTree = pushBody(
    [{ name: 'refs/heads/main', oldOid: s.tip, newOid: orphan }],
    packOf([{ type: 'commit', data: gitBytes(s.src, ['cat-file', 'commit', orphan]) }]),
  );
  const auth = { Authorization: `Basic ${Buffer.from(`${user.username}:${user.token}`).toString('base64')}` };
  const refused = await rawPush(`${server.url}/${user.username}/spilled.git`, missingTree, auth);
  expect(refused.status).toEqual(['unpack ok', 'ng refs/heads/main missing necessary objects']);
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${s.tip}\trefs/heads/main\n`);
});

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);
}

test('a push cut off mid-stream leaves the repository as it was', async () => {
  const s = await seed('cut', 6, 500 * 1024);
  const before = await stats('cut');
  const body = pushBody([{ name: 'refs/heads/main', oldOid: s.baseOid, newOid: s.tip }], s.pack);
  const push = await trickle(`${server.url}/${user.username}/cut.git`, body, Math.floor(body.length / 2));
  push.abort();
  await intact(main(), 'cut', s, before);
});

test('a server killed mid-index and restarted leaves the repository as it was', async () => {
  // A server of its own to kill, so the other tests keep theirs whatever the order.
  const doomed = await startServer({ env: LIMITS });
  let restarted: RunningServer | undefined;
  try {
    const at = { base: doomed.url, user: await createUser(doomed.url, 'killed') };
    const s = await seed('killed', 6, 500 * 1024, at);
    const before = await stats('killed', at);
    const body = pushBody([{ name: 'refs/heads/main', oldOid: s.baseOid, newOid: s.tip }], s.pack);
    const url = `${doomed.url}/${at.user.username}/killed.git`;
    const push = await trickle(url, body, Math.floor(body.length * 0.7), at);
    // Kill the whole server process group (we started it) without letting it clean up.
    process.kill(-doomed.pid, 'SIGKILL');
    push.abort();
    restarted = await startServer({ env: { ...LIMITS, GITFLARE_STATE: doomed.stateDir } });
    await intact({ ...at, base: restarted.url }, 'killed', s, before);
  } finally {
    await restarted?.stop();
    await doomed.stop(); // its state directory too
  }
});
