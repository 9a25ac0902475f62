/**
 * Git LFS with the real `git lfs` client (CONTRACT.md "Releases and large files"): objects pushed
 * to R2 through the batch API and fetched back byte for byte by a fresh clone, a push with
 * nothing new uploads nothing, uploads are checked against their SHA-256 (a wrong one keeps
 * nothing), and locks between two users.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser, uniqueName } from '../helpers/accounts';
import { TempDirs } from '../helpers/git';
import { batch, lfsEnv, lfsGit, runAction, sha256 } from '../helpers/lfs';
import { grant } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let writer: GitUser;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  [owner, writer] = await Promise.all([createUser(base, 'lfs-owner'), createUser(base, 'lfs-writer')]);
  env = lfsEnv(dirs.make());
});
afterAll(() => dirs.removeAll());

async function newRepo(isPrivate: boolean): Promise<string> {
  const repo = await createRepo(base, owner, uniqueName('lfs'), { private: isPrivate });
  await grant(base, owner, repo.name, writer, 'write');
  return repo.name;
}

/** A work tree tracking *.bin with LFS, pushing to `name` as `user`. */
async function workTree(name: string, user: GitUser): Promise<string> {
  const dir = dirs.make();
  await lfsGit(env, dir, ['init', '-q', '-b', 'main']);
  await lfsGit(env, dir, ['remote', 'add', 'origin', authUrl(base, user, owner.username, name)]);
  await lfsGit(env, dir, ['lfs', 'track', '*.bin']);
  return dir;
}

describe('git lfs push and clone', () => {
  it('stores a 20 MB and small objects in R2 and a fresh clone gets the same bytes', async () => {
    const name = await newRepo(true);
    const dir = await workTree(name, owner);
    const files: Record<string, Buffer> = {
      'big.bin': randomBytes(20 * 1024 * 1024),
      'a.bin': randomBytes(1000),
      'b.bin': Buffer.from('small text object\n'),
      'empty.bin': Buffer.alloc(0),
    };
    for (const [f, bytes] of Object.entries(files)) writeFileSync(join(dir, f), bytes);
    await lfsGit(env, dir, ['add', '.']);
    await lfsGit(env, dir, ['commit', '-q', '-m', 'lfs files']);
    // What the server holds, asked of the batch API (git-lfs's own progress line is not always
    // printed when its output is not a terminal): an upload is asked for each object it lacks.
    const nonEmpty = ['big.bin', 'a.bin', 'b.bin'].map((f) => ({
      oid: sha256(files[f]),
      size: files[f].length,
    }));
    const held = async () => {
      const r = await batch(base, `${owner.username}/${name}`, 'upload', nonEmpty, {
        Authorization: `token ${owner.token}`,
      });
      expect(r.status).toBe(200);
      return r.body.objects?.filter((o) => o.actions === undefined && o.error === undefined).length;
    };
    expect(await held()).toBe(0);
    await lfsGit(env, dir, ['push', 'origin', 'main']);
    expect(await held()).toBe(3);

    // The pointer is what git holds; the bytes come from R2.
    const pointer = await lfsGit(env, dir, ['show', 'HEAD:big.bin']);
    expect(pointer).toContain(`oid sha256:${sha256(files['big.bin'])}`);

    const clone = dirs.make();
    await lfsGit(env, clone, ['clone', '-q', authUrl(base, writer, owner.username, name), 'c']);
    for (const [f, bytes] of Object.entries(files)) {
      expect(sha256(readFileSync(join(clone, 'c', f))), f).toBe(sha256(bytes));
    }

    // A second push with a new commit but no new LFS content uploads nothing.
    writeFileSync(join(dir, 'notes.txt'), 'plain git\n');
    writeFileSync(join(dir, 'copy.bin'), files['a.bin']);
    await lfsGit(env, dir, ['add', '.']);
    await lfsGit(env, dir, ['commit', '-q', '-m', 'more']);
    const again = await lfsGit(env, dir, ['push', 'origin', 'main']);
    expect(again).not.toMatch(/Uploading LFS objects: 100% \([1-9]/);
    const asked = await batch(
      base,
      `${owner.username}/${name}`,
      'upload',
      [{ oid: sha256(files['a.bin']), size: 1000 }],
      { Authorization: `token ${owner.token}` },
    );
    expect(asked.status).toBe(200);
    expect(asked.body.objects?.[0].actions).toBeUndefined();
  });

  it('refuses an upload whose bytes do not hash to its oid and keeps nothing', async () => {
    const name = await newRepo(false);
    const repo = `${owner.username}/${name}`;
    const auth = { Authorization: `token ${owner.token}` };
    // One below a part and one across three parts (R2 multipart aborted).
    for (const size of [1000, 12 * 1024 * 1024]) {
      const right = randomBytes(size);
      const wrong = Buffer.from(right);
      wrong[size - 1] ^= 1;
      const oid = sha256(right);
      const ask = await batch(base, repo, 'upload', [{ oid, size }], auth);
      const upload = ask.body.objects?.[0].actions?.upload;
      expect(upload, JSON.stringify(ask.body)).toBeDefined();
      const refused = await runAction(upload!, 'PUT', wrong);
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('SHA-256');
      // A body shorter than announced is refused before it is read (a small one here: the
      // server stops reading a large refused upload, which cuts the connection).
      if (size < 1024 * 1024) expect((await runAction(upload!, 'PUT', right.subarray(1))).status).toBe(400);
      const missing = await batch(base, repo, 'download', [{ oid, size }], auth);
      expect(missing.body.objects?.[0].error?.code).toBe(404);
      // Nothing kept: the upload is still wanted.
      const still = await batch(base, repo, 'upload', [{ oid, size }], auth);
      expect(still.body.objects?.[0].actions?.upload).toBeDefined();

      // Positive control: the right bytes are taken, verified and served back.
      expect((await runAction(upload!, 'PUT', right)).status).toBe(200);
      const verify = ask.body.objects?.[0].actions?.verify;
      const verified = await fetch(verify!.href, {
        method: 'POST',
        headers: { ...verify!.header, 'Content-Type': 'application/vnd.git-lfs+json' },
        body: JSON.stringify({ oid, size }),
      });
      expect(verified.status).toBe(200);
      const down = await batch(base, repo, 'download', [{ oid, size }], auth);
      const got = await runAction(down.body.objects![0].actions!.download, 'GET');
      expect(got.status).toBe(200);
      expect(sha256(new Uint8Array(await got.arrayBuffer()))).toBe(oid);
    }
  });

  it('a transfer token works only for its repository, object and direction', async () => {
    const [a, b] = [await newRepo(false), await newRepo(false)];
    const auth = { Authorization: `token ${owner.token}` };
    const bytes = randomBytes(100);
    const oid = sha256(bytes);
    const up = (await batch(base, `${owner.username}/${a}`, 'upload', [{ oid, size: 100 }], auth)).body
      .objects![0].actions!.upload;
    const elsewhere = { ...up, href: up.href.replace(`/${a}.git/`, `/${b}.git/`) };
    expect((await runAction(elsewhere, 'PUT', bytes)).status).toBe(401);
    const otherOid = { ...up, href: up.href.replace(oid, sha256(Buffer.from('x'))) };
    expect((await runAction(otherOid, 'PUT', bytes)).status).toBe(401);
    expect((await runAction(up, 'GET')).status).toBe(401);
    const forged = { ...up, header: { Authorization: `${up.header!.Authorization}x` } };
    expect((await runAction(forged, 'PUT', bytes)).status).toBe(401);
    expect((await runAction(up, 'PUT', bytes)).status).toBe(200);
  });
});

describe('LFS files in the pages', () => {
  it('shows a pointer as the file it stands for and serves its bytes raw', async () => {
    const name = await newRepo(true);
    const dir = await workTree(name, owner);
    await lfsGit(env, dir, ['lfs', 'track', '*.png', '*.txt']);
    // A PNG signature and some bytes; a text file; a binary one.
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(5000)]);
    const text = Buffer.from('<script>alert(1)</script> hello from LFS\n');
    const bin = Buffer.concat([Buffer.alloc(10), randomBytes(3 * 1024 * 1024)]);
    writeFileSync(join(dir, 'pic.png'), png);
    writeFileSync(join(dir, 'notes.txt'), text);
    writeFileSync(join(dir, 'data.bin'), bin);
    await lfsGit(env, dir, ['add', '.']);
    await lfsGit(env, dir, ['commit', '-q', '-m', 'files']);
    await lfsGit(env, dir, ['push', '-q', 'origin', 'main']);
    const auth = { Authorization: `token ${owner.token}` };
    const repo = `${base}/${owner.username}/${name}`;

    const raw = async (path: string) => {
      const r = await fetch(`${repo}/raw/main/${path}`, { headers: auth });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toContain('sandbox');
      return { headers: r.headers, bytes: new Uint8Array(await r.arrayBuffer()) };
    };
    const pic = await raw('pic.png');
    expect(pic.headers.get('content-type')).toBe('image/png');
    expect(sha256(pic.bytes)).toBe(sha256(png));
    const notes = await raw('notes.txt');
    expect(notes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(notes.bytes).toString()).toBe(text.toString());
    const data = await raw('data.bin');
    expect(data.headers.get('content-disposition')).toContain('attachment');
    expect(data.headers.get('content-length')).toBe(String(bin.length));
    expect(sha256(data.bytes)).toBe(sha256(bin));

    const page = async (path: string) => {
      const r = await fetch(`${repo}/blob/main/${path}`, { headers: auth });
      expect(r.status).toBe(200);
      return r.text();
    };
    const textPage = await page('notes.txt');
    expect(textPage).toContain('Stored with Git LFS');
    expect(textPage).toContain('hello from LFS');
    expect(textPage).not.toContain('<script>alert(1)');
    expect(textPage).not.toContain('git-lfs.github.com/spec');
    const binPage = await page('data.bin');
    expect(binPage).toContain('Stored with Git LFS');
    expect(binPage).toContain('3.0 MB');
    expect(binPage).toContain('data-testid="too-large"');
    expect(await page('pic.png')).toContain(`src="/${owner.username}/${name}/raw/main/pic.png"`);

    // A stranger still sees nothing of the private repository's files.
    expect((await fetch(`${repo}/raw/main/data.bin`)).status).toBe(404);
  });
});

describe('git lfs locks', () => {
  it('a lock held by one user stops the other from pushing the file and unlocking it', async () => {
    const name = await newRepo(false);
    const mine = await workTree(name, owner);
    await lfsGit(env, mine, ['config', 'lfs.locksverify', 'true']);
    writeFileSync(join(mine, 'model.bin'), randomBytes(2000));
    await lfsGit(env, mine, ['add', '.']);
    await lfsGit(env, mine, ['commit', '-q', '-m', 'model']);
    await lfsGit(env, mine, ['push', '-q', 'origin', 'main']);
    expect(await lfsGit(env, mine, ['lfs', 'lock', 'model.bin'])).toContain('Locked model.bin');

    const theirs = dirs.make();
    await lfsGit(env, theirs, ['clone', '-q', authUrl(base, writer, owner.username, name), 'w']);
    const work = join(theirs, 'w');
    await lfsGit(env, work, ['config', 'lfs.locksverify', 'true']);
    const listed = await lfsGit(env, work, ['lfs', 'locks']);
    expect(listed).toContain('model.bin');
    expect(listed).toContain(owner.username);
    writeFileSync(join(work, 'model.bin'), randomBytes(2000));
    await lfsGit(env, work, ['commit', '-q', '-am', 'change a locked file']);
    await expect(lfsGit(env, work, ['push', 'origin', 'main'])).rejects.toThrow(/locked/i);
    await expect(lfsGit(env, work, ['lfs', 'unlock', 'model.bin'])).rejects.toThrow(/locked by|force/i);
    // A writer may not break another's lock even with --force; the owner (admin) may.
    await expect(lfsGit(env, work, ['lfs', 'unlock', '--force', 'model.bin'])).rejects.toThrow(
      /administrators/,
    );

    expect(await lfsGit(env, mine, ['lfs', 'unlock', 'model.bin'])).toContain('Unlocked model.bin');
    await lfsGit(env, work, ['push', '-q', 'origin', 'main']);
    expect(await lfsGit(env, work, ['lfs', 'locks'])).not.toContain('model.bin');

    await lfsGit(env, work, ['lfs', 'lock', 'model.bin']);
    expect(await lfsGit(env, mine, ['lfs', 'unlock', '--force', 'model.bin'])).toContain(
      'Unlocked model.bin',
    );
  });
});
