/**
 * The engine's mirror push against C git's own server (`git http-backend`, with
 * `receive.fsckObjects`): refs equal and `fsck --strict` clean on the remote after a first push,
 * then after the repository gained a commit, lost a branch and had one forced back; a second push
 * sends only what is new; the remote's refusals and a missing remote are reported.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { git, makeRepo, TempDirs } from '../../../test/helpers/git';
import { branchesAndTags, type HttpBackend, startHttpBackend } from '../../../test/helpers/http-backend';
import { fetchInto } from '../fetch/fetch';
import type { GitTransport } from '../fetch/transport';
import { MemoryRepository } from '../memory/repo';
import { firstRefusal, mirrorPush } from './send-pack';

let backend: HttpBackend;
const dirs = new TempDirs();
let sourceWork: string;

beforeAll(async () => {
  backend = await startHttpBackend();
  sourceWork = dirs.keep(makeRepo(120));
}, 120_000);
afterAll(async () => {
  dirs.removeAll();
  await backend.close();
});

/** A transport to `name.git` on the backend (a pushed body is read whole: the bridge runs a CGI). */
function transport(name: string): GitTransport {
  return async (path, request) => {
    const body =
      request.body instanceof ReadableStream ? await new Response(request.body).bytes() : request.body;
    return fetch(`${backend.url}/${name}.git/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: request.headers,
      body: body?.slice(),
    });
  };
}

async function localRefs(repo: MemoryRepository): Promise<Record<string, string>> {
  return Object.fromEntries(
    (await repo.refs.list(['refs/heads/', 'refs/tags/'])).map((r) => [r.name, r.oid]),
  );
}

const opts = { agent: 'gitflare/test', prune: true };

it('pushes every branch and tag, then a commit, a force push and a deletion, fsck-clean', async () => {
  const src = join(backend.root, 'send-src.git');
  git(backend.root, ['clone', '-q', '--mirror', sourceWork, src]);
  git(src, ['branch', 'side', 'main~5']);
  git(src, ['branch', 'forced', 'main~2']);
  const repo = new MemoryRepository();
  await fetchInto(repo, transport('send-src'), opts);
  const dest = backend.create('send-dest');
  const destDir = join(backend.root, 'send-dest.git');

  const first = await mirrorPush(repo, transport('send-dest'), { agent: 'gitflare/test' });
  expect(firstRefusal(first)).toBeNull();
  expect(first.objects).toBeGreaterThan(300);
  expect(branchesAndTags(destDir)).toEqual(await localRefs(repo));
  // Annotated tags (v*) went with their tag objects.
  expect(Object.keys(branchesAndTags(destDir)).some((n) => n.startsWith('refs/tags/v'))).toBe(true);
  git(destDir, ['fsck', '--strict', '--no-dangling']);
  expect(dest).toContain('send-dest');

  // The repository moves on: a new commit on main, a branch deleted, a branch forced back.
  const work = dirs.make();
  git(work, ['clone', '-q', '-b', 'main', src, 'w']);
  const w = join(work, 'w');
  git(w, ['commit', '-q', '--allow-empty', '-m', 'one more']);
  git(w, ['push', '-q', src, 'HEAD:refs/heads/main']);
  git(src, ['branch', '-D', 'side']);
  git(src, ['branch', '-f', 'forced', 'main~10']);
  await fetchInto(repo, transport('send-src'), opts);

  const second = await mirrorPush(repo, transport('send-dest'), { agent: 'gitflare/test' });
  expect(firstRefusal(second)).toBeNull();
  expect(second.commands.map((c) => c.name).sort()).toEqual([
    'refs/heads/forced',
    'refs/heads/main',
    'refs/heads/side',
  ]);
  // Only the new commit (its tree is main's): far from the whole history.
  expect(second.objects).toBeLessThanOrEqual(2);
  const after = branchesAndTags(destDir);
  expect(after).toEqual(await localRefs(repo));
  expect(after['refs/heads/side']).toBeUndefined();
  git(destDir, ['fsck', '--strict', '--no-dangling']);

  const third = await mirrorPush(repo, transport('send-dest'), { agent: 'gitflare/test' });
  expect(third.commands).toEqual([]);
}, 120_000);

it("reports the remote's refusal and a missing remote", async () => {
  const repo = new MemoryRepository();
  const src = join(backend.root, 'refuse-src.git');
  git(backend.root, ['clone', '-q', '--mirror', sourceWork, src]);
  await fetchInto(repo, transport('refuse-src'), opts);
  backend.create('refusing', { 'receive.denyDeletes': 'true' });
  const refusingDir = join(backend.root, 'refusing.git');
  // Positive control: the first push lands.
  expect(firstRefusal(await mirrorPush(repo, transport('refusing'), { agent: 'a' }))).toBeNull();
  git(refusingDir, ['branch', 'extra', 'main']);
  const refused = await mirrorPush(repo, transport('refusing'), { agent: 'a' });
  expect(firstRefusal(refused)).toMatch(/refs\/heads\/extra: .*delet/);
  expect(branchesAndTags(refusingDir)['refs/heads/extra']).toBeDefined();

  await expect(mirrorPush(repo, transport('nowhere'), { agent: 'a' })).rejects.toThrow(
    /repository not found at the remote/,
  );
}, 120_000);
