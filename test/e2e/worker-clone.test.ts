/**
 * Whole clones streamed by the Worker from R2 copies of the cached pack's stored packs, on a
 * server of its own (its R2 files on disk are counted). The copies are made when maintenance runs
 * (the tests' servers hold the copying alarm back): before that the object answers, after it the
 * Worker does, with the same pack byte for byte; what the copies cannot answer stays the object's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  authUrl,
  basicAuth,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { git, gitTry, makeRepo, strictCloneArgs, TempDirs } from '../helpers/git';
import { gitStats, runMaintenance } from '../helpers/maintenance';
import { readPkts } from '../helpers/packs';
import { grant } from '../helpers/repo-setup';
import { waitFor } from '../helpers/wait';
import { type RunningServer, startServer } from './server-process';

let server: RunningServer;
let user: GitUser;
let source: string;
const dirs = new TempDirs();

beforeAll(async () => {
  server = await startServer();
  user = await createUser(server.url, 'wclone');
  source = dirs.keep(makeRepo(80));
}, 180_000);
afterAll(async () => {
  await server?.stop();
  dirs.removeAll();
});

/** A strict mirror clone (fsck of everything received, then `fsck --strict`); its pack file and stderr. */
function clone(url: string): { pack: Buffer; stderr: string; dir: string } {
  const dir = join(dirs.make(), 'clone.git');
  const run = gitTry(dirs.make(), strictCloneArgs(url, dir));
  expect(run.code, run.stderr).toBe(0);
  expect(gitTry(dir, ['fsck', '--full', '--strict', '--no-dangling']).code).toBe(0);
  const packDir = join(dir, 'objects', 'pack');
  const packs = readdirSync(packDir).filter((f) => f.endsWith('.pack'));
  expect(packs).toHaveLength(1);
  return { pack: readFileSync(join(packDir, packs[0])), stderr: run.stderr, dir };
}

/** Files R2 keeps on disk for the bucket. */
function blobFiles(): number {
  const dir = join(server.stateDir, 'v3', 'r2', 'gitflare-blobs', 'blobs');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

function pkt(line: string): string {
  return `${(line.length + 5).toString(16).padStart(4, '0')}${line}\n`;
}

/** A protocol v2 clone request as git sends it, by HTTP: its status and where the pack came from. */
async function rawClone(
  repo: string,
  wants: string[],
  as: GitUser | { username: string; token: string } | null = user,
): Promise<{ status: number; source: string | null; body: Buffer }> {
  const body = `${pkt('command=fetch')}${pkt('object-format=sha1')}0001${pkt('ofs-delta')}${wants.map((w) => pkt(`want ${w}`)).join('')}${pkt('done')}0000`;
  const res = await fetch(`${server.url}/${user.username}/${repo}.git/git-upload-pack`, {
    method: 'POST',
    headers: {
      ...(as === null ? {} : { Authorization: basicAuth(as.username, as.token) }),
      'Content-Type': 'application/x-git-upload-pack-request',
      'Git-Protocol': 'version=2',
    },
    body,
  });
  return {
    status: res.status,
    source: res.headers.get('X-Gitflare-Pack-Source'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

const refOids = (dir: string): string[] => [
  ...new Set(git(dir, ['for-each-ref', '--format=%(objectname)']).trim().split('\n')),
];

it('a whole clone is streamed by the Worker once the packs are copied, the same pack the object sent', async () => {
  await createRepo(server.url, user, 'streamed');
  const url = authUrl(server.url, user, user.username, 'streamed');
  git(source, ['push', '-q', '--mirror', url]);
  const filesBefore = blobFiles();

  // Not copied yet: the object answers, and the Worker served nothing.
  const fromObject = clone(url);
  const before = await gitStats(server.url, user, 'streamed');
  expect(before.pack_copies).toEqual({ copied: 0, retiring: 0, served: 0 });
  expect((await rawClone('streamed', refOids(source))).source).toBeNull();

  expect(await runMaintenance(server.url, user, 'streamed')).toBe(200);
  expect((await gitStats(server.url, user, 'streamed')).pack_copies.copied).toBe(1);
  expect(blobFiles()).toBe(filesBefore + 1);

  const fromWorker = clone(url);
  expect((await gitStats(server.url, user, 'streamed')).pack_copies.served).toBe(1);
  expect(fromWorker.pack.equals(fromObject.pack)).toBe(true);
  const objects = before.cached_pack[0].objects;
  expect(fromWorker.stderr).toMatch(new RegExp(`Total ${objects} .*pack-reused ${objects}\\b`));
  const raw = await rawClone('streamed', refOids(source));
  expect(raw.status).toBe(200);
  expect(raw.source).toBe('worker');

  // What the copies cannot answer stays the object's: a shallow clone, a fetch of some refs.
  const shallow = join(dirs.make(), 'shallow');
  expect(gitTry(dirs.make(), ['clone', '-q', '--depth', '1', url, shallow]).code).toBe(0);
  expect((await rawClone('streamed', refOids(source).slice(0, 1))).source).toBeNull();
  expect((await gitStats(server.url, user, 'streamed')).pack_copies.served).toBe(2);
});

it('a push that adds a layer is served by the object until its copy is made, then both layers by the Worker', async () => {
  await createRepo(server.url, user, 'layered');
  const url = authUrl(server.url, user, user.username, 'layered');
  const work = join(dirs.make(), 'work');
  git(dirs.make(), ['clone', '-q', source, work]);
  git(work, ['push', '-q', url, 'main']);
  expect(await runMaintenance(server.url, user, 'layered')).toBe(200);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'a second layer']);
  git(work, ['push', '-q', url, 'main']);
  const stats = await gitStats(server.url, user, 'layered');
  expect(stats.cached_pack.map((l) => l.packs)).toEqual([1, 2]);
  expect(stats.pack_copies.copied).toBe(1);

  const fromObject = clone(url);
  expect((await gitStats(server.url, user, 'layered')).pack_copies.served).toBe(0);
  expect(await runMaintenance(server.url, user, 'layered')).toBe(200);
  const after = await gitStats(server.url, user, 'layered');
  expect(after.cached_pack.map((l) => l.packs)).toEqual([1, 2]);
  expect(after.pack_copies.copied).toBe(2);

  const fromWorker = clone(url);
  expect((await gitStats(server.url, user, 'layered')).pack_copies.served).toBe(1);
  // Two stored packs under one header and a new trailer: what the object writes for them.
  expect(fromWorker.pack.equals(fromObject.pack)).toBe(true);
  expect(git(fromWorker.dir, ['log', '-1', '--format=%s', 'main']).trim()).toBe('a second layer');
});

it('packs of many read pieces (two layers, ~1.5 MB) stream byte for byte as the object sends them', async () => {
  await createRepo(server.url, user, 'pieces');
  const url = authUrl(server.url, user, user.username, 'pieces');
  const work = join(dirs.make(), 'work');
  git(dirs.make(), ['init', '-q', '-b', 'main', work]);
  // Random bytes do not compress: each layer's pack spans several of the Worker's 64-256 KiB reads.
  writeFileSync(join(work, 'first.bin'), randomBytes(900_000));
  git(work, ['add', '.']);
  git(work, ['commit', '-q', '-m', 'first']);
  git(work, ['push', '-q', url, 'main']);
  expect(await runMaintenance(server.url, user, 'pieces')).toBe(200);
  writeFileSync(join(work, 'second.bin'), randomBytes(600_000));
  git(work, ['add', '.']);
  git(work, ['commit', '-q', '-m', 'second']);
  git(work, ['push', '-q', url, 'main']);

  const fromObject = clone(url);
  expect(await runMaintenance(server.url, user, 'pieces')).toBe(200);
  expect((await gitStats(server.url, user, 'pieces')).pack_copies.copied).toBe(2);
  const fromWorker = clone(url);
  expect((await gitStats(server.url, user, 'pieces')).pack_copies.served).toBe(1);
  expect(fromWorker.pack.length).toBeGreaterThan(1_500_000);
  expect(fromWorker.pack.equals(fromObject.pack)).toBe(true);
  expect(git(fromWorker.dir, ['cat-file', '-s', 'main:second.bin']).trim()).toBe('600000');
});

it('a private repository streamed by the Worker is still refused to the anonymous and to strangers', async () => {
  await createRepo(server.url, user, 'secret', { private: true });
  git(source, ['push', '-q', '--mirror', authUrl(server.url, user, user.username, 'secret')]);
  expect(await runMaintenance(server.url, user, 'secret')).toBe(200);
  const stranger = await createUser(server.url, 'wclone-stranger');
  const owner = await rawClone('secret', refOids(source));
  expect([owner.status, owner.source]).toEqual([200, 'worker']);
  const anonymous = await rawClone('secret', refOids(source), null);
  expect([anonymous.status, anonymous.source]).toEqual([401, null]);
  const other = await rawClone('secret', refOids(source), stranger);
  expect([other.status, other.source]).toEqual([404, null]);
  expect((await gitStats(server.url, user, 'secret')).pack_copies.served).toBe(1);
});

/** The pack of a protocol v2 fetch answer: band 1 of the packets after the `packfile` section line. */
function packOfAnswer(body: Buffer): Buffer {
  const pkts = readPkts(body);
  const start = pkts.findIndex((p) => p !== null && Buffer.from(p).toString() === 'packfile\n');
  expect(start).toBeGreaterThanOrEqual(0);
  const band1 = pkts.slice(start + 1).filter((p): p is Uint8Array => p !== null && p[0] === 1);
  return Buffer.concat(band1.map((p) => p.subarray(1)));
}

const CALLERS = [
  'anonymous',
  'stranger',
  'reader',
  'writer',
  'admin',
  'owner',
  'lackingScope',
  'readToken',
] as const;
type Caller = (typeof CALLERS)[number];
type Answer = readonly [status: number, source: 'worker' | null];
const SERVED: Answer = [200, 'worker'];

// Who reads a repository over git reads its Worker-streamed clone, and nobody else: the same
// refusals as the object's path (git-authorization.test.ts), before the Worker reads a byte of R2.
// A token without `read:repository` reads only what anonymous reads.
const CLONE_EXPECTED: Record<'public' | 'private', Record<Caller, Answer>> = {
  public: {
    anonymous: SERVED,
    stranger: SERVED,
    reader: SERVED,
    writer: SERVED,
    admin: SERVED,
    owner: SERVED,
    lackingScope: SERVED,
    readToken: SERVED,
  },
  private: {
    anonymous: [401, null],
    stranger: [404, null],
    reader: SERVED,
    writer: SERVED,
    admin: SERVED,
    owner: SERVED,
    lackingScope: [404, null],
    readToken: SERVED,
  },
};

it('who may read a repository gets the Worker-streamed clone, a real pack; nobody else does (public and private)', async () => {
  const [stranger, reader, writer, admin] = await Promise.all(
    ['stranger', 'reader', 'writer', 'admin'].map((n) => createUser(server.url, `wcm-${n}`)),
  );
  const token = async (scopes: string[]) => ({
    username: user.username,
    token: (await createToken(server.url, user, { scopes })).sha1,
  });
  const callers: Record<Caller, { username: string; token: string } | null> = {
    anonymous: null,
    stranger,
    reader,
    writer,
    admin,
    owner: user,
    lackingScope: await token(['read:user']),
    readToken: await token(['read:repository']),
  };
  const wants = refOids(source);
  for (const visibility of ['public', 'private'] as const) {
    const name = `matrix-${visibility}`;
    await createRepo(server.url, user, name, { private: visibility === 'private' });
    git(source, ['push', '-q', '--mirror', authUrl(server.url, user, user.username, name)]);
    await grant(server.url, user, name, reader, 'read');
    await grant(server.url, user, name, writer, 'write');
    await grant(server.url, user, name, admin, 'admin');
    expect(await runMaintenance(server.url, user, name)).toBe(200);
    const objects = (await gitStats(server.url, user, name)).cached_pack[0].objects;

    // Positive control: the owner's answer is a pack git accepts whole, with every object.
    const control = await rawClone(name, wants, user);
    expect([control.status, control.source]).toEqual(SERVED);
    const checked = join(dirs.make(), 'checked.git');
    git(dirs.make(), ['init', '-q', '--bare', checked]);
    const pack = packOfAnswer(control.body);
    git(checked, ['index-pack', '--strict', '--stdin'], pack);
    expect(pack.readUInt32BE(8)).toBe(objects);

    const got = {} as Record<Caller, Answer>;
    for (const who of CALLERS) {
      const r = await rawClone(name, wants, callers[who]);
      got[who] = [r.status, r.source === 'worker' ? 'worker' : null];
      // Every 200 carries the same pack; a refusal carries none of it.
      if (r.status === 200) expect(packOfAnswer(r.body).equals(pack), who).toBe(true);
      else expect(r.body.includes(Buffer.from('PACK')), who).toBe(false);
    }
    expect(got, visibility).toEqual(CLONE_EXPECTED[visibility]);
  }
});

it("a deleted repository's copies are swept from R2", async () => {
  const filesBefore = blobFiles();
  await createRepo(server.url, user, 'doomed');
  git(source, ['push', '-q', '--mirror', authUrl(server.url, user, user.username, 'doomed')]);
  expect(await runMaintenance(server.url, user, 'doomed')).toBe(200);
  expect(blobFiles()).toBe(filesBefore + 1);
  const gone = await call(server.url, 'DELETE', `/api/v1/repos/${user.username}/doomed`, {
    auth: { authorization: `token ${user.token}` },
  });
  expect(gone.status).toBe(204);
  await waitFor('the copies swept', () => blobFiles() === filesBefore, {
    timeoutMs: 60_000,
    intervalMs: 200,
  });
});
