/**
 * Who may do what with Git LFS (CONTRACT.md "Releases and large files": authorised like git):
 * public and private repositories × anonymous, a stranger, a reader, a writer, the owner (admin),
 * a token scoped read:repository and one lacking any repository scope × batch download, batch
 * upload, a direct object download, listing, creating and verifying locks.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, createRepo, createToken, signUp, type TestUser, uniqueName } from '../helpers/accounts';
import { batch, LFS_TYPE, runAction, sha256 } from '../helpers/lfs';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

type Visibility = 'public' | 'private';
type Actor = 'anonymous' | 'stranger' | 'reader' | 'writer' | 'admin' | 'readToken' | 'issueToken';
type Op = 'download' | 'upload' | 'object' | 'listLocks' | 'lock' | 'verifyLocks';

const ALL_OPS: Op[] = ['download', 'upload', 'object', 'listLocks', 'lock', 'verifyLocks'];
const same = (status: number): Record<Op, number> =>
  Object.fromEntries(ALL_OPS.map((op) => [op, status])) as Record<Op, number>;
const WRITES = { download: 200, upload: 200, object: 200, listLocks: 200, lock: 201, verifyLocks: 200 };
const READS = (refusal: number) => ({
  download: 200,
  upload: refusal,
  object: 200,
  listLocks: 200,
  lock: refusal,
  verifyLocks: refusal,
});

const EXPECTED: Record<Visibility, Record<Actor, Record<Op, number>>> = {
  public: {
    anonymous: READS(401),
    stranger: READS(403),
    reader: READS(403),
    writer: WRITES,
    admin: WRITES,
    readToken: READS(403),
    issueToken: READS(403),
  },
  private: {
    anonymous: same(401),
    stranger: same(404),
    reader: READS(403),
    writer: WRITES,
    admin: WRITES,
    readToken: READS(403),
    issueToken: same(404),
  },
};

const headersOf = {} as Record<Actor, Record<string, string>>;
const repoPath = {} as Record<Visibility, string>;
const stored = { bytes: randomBytes(3000), oid: '' };
let lockCount = 0;

beforeAll(async () => {
  const [owner, stranger, reader, writer] = await Promise.all(
    ['lfsz-owner', 'lfsz-stranger', 'lfsz-reader', 'lfsz-writer'].map((p) => signUp(base, p)),
  );
  const token = async (u: TestUser, scopes?: string[]) =>
    `token ${(await createToken(base, u, { scopes })).sha1}`;
  headersOf.anonymous = {};
  headersOf.stranger = { Authorization: await token(stranger) };
  headersOf.reader = { Authorization: basicAuth(reader.username, reader.password) };
  headersOf.writer = { Authorization: await token(writer) };
  headersOf.admin = { Authorization: await token(owner) };
  headersOf.readToken = { Authorization: await token(writer, ['read:repository']) };
  headersOf.issueToken = { Authorization: await token(owner, ['read:issue']) };
  stored.oid = sha256(stored.bytes);
  for (const visibility of ['public', 'private'] as const) {
    const repo = await createRepo(
      base,
      { authorization: headersOf.admin.Authorization },
      uniqueName('lfsz'),
      {
        private: visibility === 'private',
      },
    );
    repoPath[visibility] = repo.full_name;
    for (const [user, permission] of [
      [reader, 'read'],
      [writer, 'write'],
    ] as const) {
      await grantOn(base, repo.full_name, { authorization: headersOf.admin.Authorization }, user, permission);
    }
    // One object stored, to download.
    const up = await batch(
      base,
      repo.full_name,
      'upload',
      [{ oid: stored.oid, size: 3000 }],
      headersOf.admin,
    );
    expect((await runAction(up.body.objects![0].actions!.upload, 'PUT', stored.bytes)).status).toBe(200);
  }
});

async function attempt(op: Op, repo: string, headers: Record<string, string>): Promise<number> {
  const lfs = `${base}/${repo}.git/info/lfs`;
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { ...headers, 'Content-Type': LFS_TYPE, Accept: LFS_TYPE },
    body: JSON.stringify(body),
  });
  switch (op) {
    case 'download': {
      const r = await batch(base, repo, 'download', [{ oid: stored.oid, size: 3000 }], headers);
      if (r.status === 200) {
        const got = await runAction(r.body.objects![0].actions!.download, 'GET');
        expect(sha256(new Uint8Array(await got.arrayBuffer()))).toBe(stored.oid);
      }
      return r.status;
    }
    case 'upload': {
      const bytes = randomBytes(10);
      const r = await batch(base, repo, 'upload', [{ oid: sha256(bytes), size: 10 }], headers);
      if (r.status === 200) expect(r.body.objects![0].actions!.upload).toBeDefined();
      if (r.status === 401) expect(r.headers.get('lfs-authenticate')).toMatch(/^Basic/);
      return r.status;
    }
    case 'object': {
      const r = await fetch(`${lfs}/objects/${stored.oid}`, { headers });
      if (r.status === 200) expect(sha256(new Uint8Array(await r.arrayBuffer()))).toBe(stored.oid);
      else await r.body?.cancel();
      return r.status;
    }
    case 'listLocks': {
      const r = await fetch(`${lfs}/locks`, { headers: { ...headers, Accept: LFS_TYPE } });
      const body = (await r.json()) as { locks?: unknown[] };
      if (r.status === 200) expect(Array.isArray(body.locks)).toBe(true);
      return r.status;
    }
    case 'lock': {
      lockCount += 1;
      const r = await fetch(`${lfs}/locks`, json({ path: `f${lockCount}.bin` }));
      const body = (await r.json()) as { lock?: { path: string } };
      if (r.status === 201) expect(body.lock?.path).toBe(`f${lockCount}.bin`);
      return r.status;
    }
    case 'verifyLocks': {
      const r = await fetch(`${lfs}/locks/verify`, json({ ref: { name: 'refs/heads/main' } }));
      const body = (await r.json()) as { ours?: unknown[] };
      if (r.status === 200) expect(Array.isArray(body.ours)).toBe(true);
      return r.status;
    }
  }
}

describe.each(['public', 'private'] as const)('Git LFS on a %s repository', (visibility) => {
  it.each(Object.keys(EXPECTED[visibility]) as Actor[])('%s', async (actor) => {
    const got: Record<string, number> = {};
    for (const op of ALL_OPS) got[op] = await attempt(op, repoPath[visibility], headersOf[actor]);
    expect(got).toEqual(EXPECTED[visibility][actor]);
  });
});

describe('Git LFS paths', () => {
  it('answers without .git in the path, and 404 for a repository nobody has', async () => {
    const r = await fetch(`${base}/${repoPath.public}/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { 'Content-Type': LFS_TYPE, Accept: LFS_TYPE, ...headersOf.stranger },
      body: JSON.stringify({ operation: 'download', objects: [{ oid: stored.oid, size: 3000 }] }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(LFS_TYPE);
    const missing = await batch(base, `${repoPath.public}-gone`, 'download', [], headersOf.stranger);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Repository not found');
  });

  it('refuses a malformed batch with a message and each bad object on its own', async () => {
    const bad = await fetch(`${base}/${repoPath.public}.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { 'Content-Type': LFS_TYPE, ...headersOf.writer },
      body: '{"operation":"sideways","objects":[]}',
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toContain('operation');
    const r = await batch(
      base,
      repoPath.public,
      'download',
      [
        { oid: 'not-a-hash', size: 1 },
        { oid: stored.oid, size: 3000 },
      ],
      headersOf.writer,
    );
    expect(r.status).toBe(200);
    expect(r.body.objects![0].error?.code).toBe(422);
    expect(r.body.objects![1].actions?.download).toBeDefined();
  });
});
