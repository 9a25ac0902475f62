/**
 * Git LFS storage on a server of its own, whose R2 files on disk the test can count: the optional
 * cap on a repository's LFS bytes (LFS_MAX_REPO_BYTES), a refused upload leaving no bytes behind,
 * and a deleted repository's objects deleted in the background, resuming after a restart.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, createRepo, createUser } from '../helpers/accounts';
import { batch, runAction, sha256 } from '../helpers/lfs';
import { waitFor } from '../helpers/wait';
import { type RunningServer, startServer } from './server-process';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { LFS_MAX_REPO_BYTES: String(20 * 1024 * 1024) } });
}, 180_000);
afterAll(() => server?.stop());

it('refuses an upload past the cap and takes one within it', async () => {
  const user = await createUser(server.url, 'lfs-quota');
  const repo = (await createRepo(server.url, user, 'capped')).full_name;
  const auth = { Authorization: `token ${user.token}` };
  const small = randomBytes(15 * 1024 * 1024);
  const size = small.length;
  const ok = await batch(server.url, repo, 'upload', [{ oid: sha256(small), size }], auth);
  expect(ok.status).toBe(200);
  expect((await runAction(ok.body.objects![0].actions!.upload, 'PUT', small)).status).toBe(200);
  // 15 MiB stored + 15 MiB more > 20 MiB.
  const more = randomBytes(size);
  const refused = await batch(server.url, repo, 'upload', [{ oid: sha256(more), size }], auth);
  expect(refused.status).toBe(413);
  expect(refused.body.message).toContain(`limited to ${20 * 1024 * 1024} bytes`);
  // What is already stored is no new bytes.
  const again = await batch(server.url, repo, 'upload', [{ oid: sha256(small), size }], auth);
  expect(again.status).toBe(200);
});

/** Files R2 keeps on disk for the bucket. */
function blobFiles(stateDir = server.stateDir): number {
  const dir = join(stateDir, 'v3', 'r2', 'gitflare-blobs', 'blobs');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

function until(what: string, ok: () => boolean): Promise<boolean> {
  return waitFor(what, ok, { timeoutMs: 60_000, intervalMs: 200 });
}

it("keeps no bytes of a refused upload and deletes a deleted repository's objects", async () => {
  const user = await createUser(server.url, 'lfs-store');
  const repo = (await createRepo(server.url, user, 'doomed')).full_name;
  const auth = { Authorization: `token ${user.token}` };
  const before = blobFiles();
  // Three parts, the last byte wrong: the multipart upload is aborted.
  const right = randomBytes(12 * 1024 * 1024);
  const wrong = Buffer.from(right);
  wrong[wrong.length - 1] ^= 1;
  const objects = [{ oid: sha256(right), size: right.length }];
  const up = (await batch(server.url, repo, 'upload', objects, auth)).body.objects![0].actions!.upload;
  expect((await runAction(up, 'PUT', wrong)).status).toBe(422);
  await until('back to the files before', () => blobFiles() === before);
  expect((await runAction(up, 'PUT', right)).status).toBe(200);
  expect(blobFiles()).toBeGreaterThan(before);

  const gone = await call(server.url, 'DELETE', `/api/v1/repos/${repo}`, {
    auth: { authorization: auth.Authorization },
  });
  expect(gone.status).toBe(204);
  await until('deleted', () => blobFiles() === before);
});

it("a deleted repository's R2 objects are swept in bounded runs that resume after a restart", async () => {
  // The sweep held back an hour, then one key per run: the deletion only records the work.
  const state = mkdtempSync(join(tmpdir(), 'gitflare-sweep-'));
  const held = { BLOB_SWEEP_DELAY_MS: '3600000', BLOB_SWEEP_KEYS_PER_RUN: '1' };
  let s = await startServer({ env: { GITFLARE_STATE: state, ...held } });
  try {
    const user = await createUser(s.url, 'sweep');
    const repo = (await createRepo(s.url, user, 'swept')).full_name;
    const kept = (await createRepo(s.url, user, 'kept')).full_name;
    const token = { authorization: `token ${user.token}` };
    const upload = async (name: string, bytes: Buffer) => {
      const objects = [{ oid: sha256(bytes), size: bytes.length }];
      const b = await batch(s.url, name, 'upload', objects, { Authorization: token.authorization });
      expect((await runAction(b.body.objects![0].actions!.upload, 'PUT', bytes)).status).toBe(200);
    };
    for (let i = 0; i < 3; i++) await upload(repo, randomBytes(1000 + i));
    // Another repository's object, which must stay.
    const keep = randomBytes(2000);
    await upload(kept, keep);
    const release = await call<{ id: number }>(s.url, 'POST', `/api/v1/repos/${repo}/releases`, {
      auth: token,
      json: { tag_name: 'v1', draft: true },
    });
    expect(release.status).toBe(201);
    const asset = await fetch(`${s.url}/api/v1/repos/${repo}/releases/${release.body.id}/assets?name=a.bin`, {
      method: 'POST',
      headers: { ...token, 'Content-Type': 'application/octet-stream' },
      body: randomBytes(3000),
    });
    expect(asset.status).toBe(201);
    expect(blobFiles(state)).toBe(5);

    expect((await call(s.url, 'DELETE', `/api/v1/repos/${repo}`, { auth: token })).status).toBe(204);
    // The server goes away with the sweep still pending: every object is still on disk.
    await s.stop();
    expect(blobFiles(state)).toBe(5);

    // Restarted without the delay: the next deletion wakes the sweeper, which also finishes the
    // work recorded before the restart, one key a run, and leaves the other repository's object.
    s = await startServer({ env: { GITFLARE_STATE: state, BLOB_SWEEP_KEYS_PER_RUN: '1' } });
    const other = (await createRepo(s.url, user, 'other')).full_name;
    expect((await call(s.url, 'DELETE', `/api/v1/repos/${other}`, { auth: token })).status).toBe(204);
    await until("the deleted repository's objects deleted", () => blobFiles(state) === 1);
    const down = await batch(s.url, kept, 'download', [{ oid: sha256(keep), size: keep.length }], {
      Authorization: token.authorization,
    });
    const res = await runAction(down.body.objects![0].actions!.download, 'GET');
    expect(Buffer.from(await res.arrayBuffer()).equals(keep)).toBe(true);
  } finally {
    await s.stop();
    rmSync(state, { recursive: true, force: true });
  }
}, 300_000);
