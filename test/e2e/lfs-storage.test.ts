/**
 * Git LFS storage on a server of its own, whose R2 files on disk the test can count: the optional
 * cap on a repository's LFS bytes (LFS_MAX_REPO_BYTES), a refused upload leaving no bytes behind,
 * and a deleted repository's objects deleted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, createRepo, createUser } from '../helpers/accounts';
import { batch, runAction, sha256 } from '../helpers/lfs';
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
function blobFiles(): number {
  const dir = join(server.stateDir, 'v3', 'r2', 'gitflare-blobs', 'blobs');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`still not ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
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
