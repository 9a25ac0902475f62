/**
 * The engine's fetch client against C git's own server (`git http-backend`), over protocol v2
 * and v0: refs and objects equal to the source's, HEAD as the source's, an incremental second
 * fetch that brings only what is new and prunes, and a pack cut off mid-stream that stores nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo, TempDirs } from '../../../test/helpers/git';
import { branchesAndTags, type HttpBackend, startHttpBackend } from '../../../test/helpers/http-backend';
import { MemoryRepository } from '../memory/repo';
import { type FetchPackProgress, type FetchResult, fetchInto } from './fetch';
import type { GitTransport } from './transport';

let backend: HttpBackend;
const dirs = new TempDirs();
let sourceWork: string;

beforeAll(async () => {
  backend = await startHttpBackend();
  sourceWork = dirs.keep(makeRepo(150));
}, 120_000);
afterAll(async () => {
  dirs.removeAll();
  await backend.close();
});

/** A transport to `name.git` on the backend; v0 drops the Git-Protocol header (git then speaks v0). */
function transport(name: string, version: 0 | 2, cutPackAt?: number): GitTransport {
  return async (path, request) => {
    // A fetch sends its requests whole.
    const body = request.body as Uint8Array | null;
    const headers = { ...request.headers };
    if (version === 0) delete headers['Git-Protocol'];
    const res = await fetch(`${backend.url}/${name}.git/${path}`, {
      method: body ? 'POST' : 'GET',
      headers,
      body: body?.slice(),
    });
    if (cutPackAt === undefined || !body || !res.body) return res;
    // Pass the first `cutPackAt` bytes of a pack response, then end as a dropped connection would.
    const text = new TextDecoder().decode(body);
    if (!text.includes('done')) return res;
    const all = new Uint8Array(await res.arrayBuffer());
    return new Response(all.subarray(0, cutPackAt), { status: res.status, headers: res.headers });
  };
}

/** A bare copy of the source on the backend, as `name`. */
function publish(name: string): string {
  const dir = join(backend.root, `${name}.git`);
  git(backend.root, ['clone', '-q', '--mirror', sourceWork, dir]);
  return dir;
}

async function localRefs(repo: MemoryRepository): Promise<Record<string, string>> {
  return Object.fromEntries((await repo.refs.list()).map((r) => [r.name, r.oid]));
}

async function missingObjects(repo: MemoryRepository, dir: string): Promise<string[]> {
  const oids = git(dir, ['rev-list', '--objects', '--all'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(0, 40));
  expect(oids.length).toBeGreaterThan(500);
  const missing: string[] = [];
  for (const oid of oids) if ((await repo.odb.store.lookup(oid)) === null) missing.push(oid);
  return missing;
}

describe.each([2, 0] as const)('fetch over protocol v%i', (version) => {
  it('copies every branch, tag and object, then fetches only what is new and prunes', async () => {
    const name = `src-v${version}`;
    const dir = publish(name);
    git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/side-1']);
    git(dir, ['branch', 'side-1', 'main~3']);
    const repo = new MemoryRepository();
    const first: FetchResult = await fetchInto(repo, transport(name, version), {
      agent: 'gitflare/test',
      prune: true,
    });
    expect(first.protocol).toBe(version);
    expect(first.head).toBe('refs/heads/side-1');
    expect(await localRefs(repo)).toEqual(branchesAndTags(dir));
    expect(Object.keys(branchesAndTags(dir)).some((n) => n.startsWith('refs/tags/'))).toBe(true);
    expect(await missingObjects(repo, dir)).toEqual([]);

    // The source moves on: a new commit on main, a branch deleted, a branch forced back.
    const work = dirs.make();
    git(work, ['clone', '-q', '-b', 'main', dir, 'w']);
    const w = join(work, 'w');
    git(w, ['commit', '-q', '--allow-empty', '-m', 'one more']);
    git(w, ['push', '-q', dir, 'HEAD:refs/heads/main']);
    git(dir, ['branch', '-D', 'side-1']);
    git(dir, ['branch', '-f', 'forced', 'main~10']);
    git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
    const second = await fetchInto(repo, transport(name, version), { agent: 'gitflare/test', prune: true });
    expect(second.head).toBe('refs/heads/main');
    expect(await localRefs(repo)).toEqual(branchesAndTags(dir));
    expect((await localRefs(repo))['refs/heads/side-1']).toBeUndefined();
    // Only the new commit (and its tree) came: far less than the whole history.
    expect(second.packBytes).toBeGreaterThan(0);
    expect(second.packBytes).toBeLessThan(first.packBytes / 20);

    const third = await fetchInto(repo, transport(name, version), { agent: 'gitflare/test', prune: true });
    expect(third.updated).toEqual([]);
    expect(third.packBytes).toBe(0);
  });

  it('stores nothing when the pack is cut off mid-stream', async () => {
    const name = `cut-v${version}`;
    publish(name);
    const repo = new MemoryRepository();
    await expect(
      fetchInto(repo, transport(name, version, 20_000), { agent: 'gitflare/test', prune: true }),
    ).rejects.toThrow(/source/);
    expect(await repo.refs.list()).toEqual([]);
    expect(await repo.packs.isEmpty()).toBe(true);
    // Positive control: the same source whole.
    await fetchInto(repo, transport(name, version), { agent: 'gitflare/test', prune: true });
    expect((await repo.refs.list()).length).toBeGreaterThan(2);
  });
});

it("reports the pack's progress: every object received, then every delta resolved", async () => {
  const dir = publish('progress');
  const repo = new MemoryRepository();
  const seen: FetchPackProgress[] = [];
  const result = await fetchInto(repo, transport('progress', 2), {
    agent: 'gitflare/test',
    prune: true,
    onPack: (p) => seen.push(p),
  });
  const objects = git(dir, ['rev-list', '--objects', '--all']).split('\n').filter(Boolean).length;
  const receiving = seen.filter((p) => p.phase === 'receiving');
  // One report per object, counting up to the pack's own count (every reachable object).
  expect(receiving.map((p) => p.done)).toEqual(Array.from({ length: objects }, (_, i) => i + 1));
  expect(new Set(receiving.map((p) => p.total))).toEqual(new Set([objects]));
  for (let i = 1; i < seen.length; i++) expect(seen[i].bytes).toBeGreaterThanOrEqual(seen[i - 1].bytes);
  expect(receiving[0].bytes).toBeGreaterThan(0);
  expect(seen[seen.length - 1].bytes).toBeLessThanOrEqual(result.packBytes);
  // Resolving comes after receiving and ends with its total.
  const resolving = seen.slice(receiving.length);
  expect(resolving.length).toBeGreaterThan(0);
  expect(resolving.every((p) => p.phase === 'resolving')).toBe(true);
  expect(resolving[resolving.length - 1].done).toBe(resolving[0].total);
});

it('names a missing repository and a server that is not git', async () => {
  const repo = new MemoryRepository();
  await expect(fetchInto(repo, transport('nope', 2), { agent: 'a', prune: false })).rejects.toThrow(
    /not found/,
  );
  const notGit: GitTransport = async () =>
    new Response('<html>hello</html>', { headers: { 'content-type': 'text/html' } });
  await expect(fetchInto(repo, notGit, { agent: 'a', prune: false })).rejects.toThrow(/not a git repository/);
});
