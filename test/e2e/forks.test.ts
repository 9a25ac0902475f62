// Forks: POST .../forks copies the parent's stored packs, index, refs and HEAD into the fork's own
// object. A mirror clone of the fork must equal the parent's (every ref, HEAD) and pass a strict
// fsck; pushes to either side stay on that side; deleting the parent keeps the fork whole. Who may
// fork and list forks: forks-access.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  authUrl,
  call,
  createRepo,
  createUser,
  type GitUser,
  uniqueName,
} from '../helpers/accounts';
import { type ForkJson, forkParent } from '../helpers/forks';
import { git, gitAsync, gitTry, makeRepo, strictCloneArgs, TempDirs } from '../helpers/git';
import { gitStats } from '../helpers/maintenance';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let other: GitUser;
let source: string;

const tokenOf = (u: GitUser): Auth => asToken(u.token);

beforeAll(async () => {
  owner = await createUser(base, 'fork-owner');
  other = await createUser(base, 'fork-other');
  source = dirs.keep(makeRepo(150));
});

afterAll(() => dirs.removeAll());

/** `git ls-remote` of a repository, as sorted lines (HEAD included). */
async function remoteRefs(u: GitUser, owner: string, name: string): Promise<string[]> {
  const out = await gitAsync(source, ['ls-remote', authUrl(base, u, owner, name)]);
  return out.trim().split('\n').sort();
}

/** A strict mirror clone that must pass `git fsck --strict`; its directory. */
async function strictClone(u: GitUser, owner: string, name: string): Promise<string> {
  const dir = join(dirs.make(), 'clone');
  await gitAsync(source, strictCloneArgs(authUrl(base, u, owner, name), dir));
  const fsck = gitTry(dir, ['fsck', '--full', '--strict', '--no-dangling']);
  expect(fsck.stderr).toBe('');
  expect(fsck.code).toBe(0);
  return dir;
}

function refsOf(dir: string): string[] {
  return git(dir, ['for-each-ref', '--format=%(objectname) %(refname)']).trim().split('\n').sort();
}

test('a fork holds every ref, tag and HEAD of its parent, stored as the parent stores them', async () => {
  const parent = await forkParent(base, source, owner);
  const r = await call<ForkJson>(base, 'POST', `/api/v1/repos/${owner.username}/${parent}/forks`, {
    auth: tokenOf(other),
    json: {},
  });
  expect(r.status).toBe(202);
  expect(r.body.full_name).toBe(`${other.username}/${parent}`);
  expect(r.body.fork).toBe(true);
  expect(r.body.private).toBe(false);
  expect(r.body.default_branch).toBe('main');
  expect(r.body.parent?.full_name).toBe(`${owner.username}/${parent}`);

  // Every ref and HEAD, over the wire and in a clone of each, and the clone passes a strict fsck.
  const parentRefs = await remoteRefs(owner, owner.username, parent);
  expect(parentRefs.length).toBeGreaterThan(3);
  expect(parentRefs.some((l) => l.endsWith('\trefs/tags/v60^{}'))).toBe(true);
  expect(await remoteRefs(other, other.username, parent)).toEqual(parentRefs);
  const forkClone = await strictClone(other, other.username, parent);
  const parentClone = await strictClone(owner, owner.username, parent);
  expect(refsOf(forkClone)).toEqual(refsOf(parentClone));
  expect(git(forkClone, ['rev-parse', 'HEAD']).trim()).toBe(git(source, ['rev-parse', 'main']).trim());

  // Copied as stored: the same packs, objects and cached-pack layers (no walk, no repacking).
  const [ps, fs] = await Promise.all([gitStats(base, owner, parent), gitStats(base, other, parent)]);
  expect(fs.objects).toBe(ps.objects);
  expect(fs.live_packs).toBe(ps.live_packs);
  expect(fs.pack_bytes).toBe(ps.pack_bytes);
  expect(fs.cached_pack).toEqual(ps.cached_pack);
  expect(ps.cached_pack.length).toBe(3);

  // The parent counts and lists it.
  const p = await call<ForkJson>(base, 'GET', `/api/v1/repos/${owner.username}/${parent}`, { auth: null });
  expect(p.body.forks_count).toBe(1);
  expect(p.body.fork).toBe(false);
  const list = await call<ForkJson[]>(base, 'GET', `/api/v1/repos/${owner.username}/${parent}/forks`, {
    auth: null,
  });
  expect(list.status).toBe(200);
  expect(list.body.map((f) => f.full_name)).toEqual([`${other.username}/${parent}`]);
});

test('pushes to a fork stay in the fork, and pushes to the parent stay in the parent', async () => {
  const parent = await forkParent(base, source, owner);
  const forkName = uniqueName('mine');
  const r = await call<ForkJson>(base, 'POST', `/api/v1/repos/${owner.username}/${parent}/forks`, {
    auth: tokenOf(other),
    json: { name: forkName },
  });
  expect(r.status).toBe(202);
  expect(r.body.name).toBe(forkName);
  const before = await remoteRefs(owner, owner.username, parent);

  const work = await strictClone(other, other.username, forkName);
  const wt = join(dirs.make(), 'wt');
  git(work, ['clone', '-q', work, wt]);
  writeFileSync(join(wt, 'fork-only.txt'), 'only in the fork\n');
  git(wt, ['add', '-A']);
  git(wt, ['commit', '-q', '-m', 'fork change']);
  await gitAsync(wt, [
    'push',
    '-q',
    authUrl(base, other, other.username, forkName),
    'HEAD:refs/heads/main',
    'HEAD:refs/heads/topic',
  ]);
  const pushed = git(wt, ['rev-parse', 'HEAD']).trim();

  expect(await remoteRefs(owner, owner.username, parent)).toEqual(before);
  const forkRefs = await remoteRefs(other, other.username, forkName);
  expect(forkRefs).toContain(`${pushed}\trefs/heads/main`);
  expect(forkRefs).toContain(`${pushed}\trefs/heads/topic`);
  // A push to the parent is not seen by the fork either.
  const pwt = join(dirs.make(), 'pwt');
  git(source, ['clone', '-q', '-b', 'main', source, pwt]);
  writeFileSync(join(pwt, 'parent-only.txt'), 'only in the parent\n');
  git(pwt, ['add', '-A']);
  git(pwt, ['commit', '-q', '-m', 'parent change']);
  await gitAsync(pwt, ['push', '-q', authUrl(base, owner, owner.username, parent), 'HEAD:refs/heads/main']);
  expect(await remoteRefs(other, other.username, forkName)).toEqual(forkRefs);
  await strictClone(other, other.username, forkName);
});

test('a user forks a repository once, and never into a name that exists', async () => {
  const parent = await forkParent(base, source, owner);
  const path = `/api/v1/repos/${owner.username}/${parent}/forks`;
  const taken = uniqueName('taken');
  await createRepo(base, other, taken);
  const clash = await call<{ message: string }>(base, 'POST', path, {
    auth: tokenOf(other),
    json: { name: taken },
  });
  expect(clash.status).toBe(409);
  expect(clash.body.message).toMatch(/already exists/);
  // The owner's own name is taken by the parent itself.
  expect((await call(base, 'POST', path, { auth: tokenOf(owner), json: {} })).status).toBe(409);
  const bad = await call(base, 'POST', path, { auth: tokenOf(other), json: { name: 'x.git' } });
  expect(bad.status).toBe(422);

  const first = await call<ForkJson>(base, 'POST', path, { auth: tokenOf(other), json: {} });
  expect(first.status).toBe(202);
  const again = await call<{ message: string }>(base, 'POST', path, {
    auth: tokenOf(other),
    json: { name: uniqueName('again') },
  });
  expect(again.status).toBe(409);
  expect(again.body.message).toMatch(/already has a fork/);
  const list = await call<ForkJson[]>(base, 'GET', path, { auth: null });
  expect(list.body).toHaveLength(1);
  // The refused attempts left nothing behind (the taken repository is still empty and no fork).
  const t = await call<ForkJson & { empty: boolean }>(
    base,
    'GET',
    `/api/v1/repos/${other.username}/${taken}`,
    {
      auth: tokenOf(other),
    },
  );
  expect(t.body.empty).toBe(true);
  expect(t.body.fork).toBe(false);
});

test('two forks of one repository by one user at the same moment: exactly one is made', async () => {
  const parent = await forkParent(base, source, owner);
  const path = `/api/v1/repos/${owner.username}/${parent}/forks`;
  // Different names, so only the one-fork-per-user rule can refuse the second.
  const names = [uniqueName('twin-a'), uniqueName('twin-b')];
  const answers = await Promise.all(
    names.map((name) =>
      call<{ message: string }>(base, 'POST', path, { auth: tokenOf(other), json: { name } }),
    ),
  );
  expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
  expect(answers.find((a) => a.status === 409)?.body.message).toMatch(/already has a fork/);
  const made = names[answers.findIndex((a) => a.status === 202)];
  const list = await call<ForkJson[]>(base, 'GET', path, { auth: null });
  expect(list.body.map((f) => f.full_name)).toEqual([`${other.username}/${made}`]);
  // The refused one left no repository behind; the made one is whole.
  const lost = names.find((n) => n !== made);
  expect(
    (await call(base, 'GET', `/api/v1/repos/${other.username}/${lost}`, { auth: tokenOf(other) })).status,
  ).toBe(404);
  expect(await remoteRefs(other, other.username, made)).toEqual(
    await remoteRefs(owner, owner.username, parent),
  );
});

test('deleting the parent keeps the fork whole', async () => {
  const parent = await forkParent(base, source, owner);
  const r = await call<ForkJson>(base, 'POST', `/api/v1/repos/${owner.username}/${parent}/forks`, {
    auth: tokenOf(other),
    json: {},
  });
  expect(r.status).toBe(202);
  const refs = await remoteRefs(other, other.username, parent);
  const del = await call(base, 'DELETE', `/api/v1/repos/${owner.username}/${parent}`, {
    auth: tokenOf(owner),
  });
  expect(del.status).toBe(204);
  expect(await remoteRefs(other, other.username, parent)).toEqual(refs);
  await strictClone(other, other.username, parent);
  const f = await call<ForkJson>(base, 'GET', `/api/v1/repos/${other.username}/${parent}`, {
    auth: tokenOf(other),
  });
  expect(f.status).toBe(200);
  expect(f.body.fork).toBe(true);
  expect(f.body.parent).toBeNull();
});

test('a pull request from a fork keeps its head in the upstream as refs/pull/{n}/head, follows pushes, merges, and outlives the fork', async () => {
  const parent = await forkParent(base, source, owner);
  const f = await call<ForkJson>(base, 'POST', `/api/v1/repos/${owner.username}/${parent}/forks`, {
    auth: tokenOf(other),
    json: {},
  });
  expect(f.status).toBe(202);
  const forkUrl = authUrl(base, other, other.username, parent);
  const wt = join(dirs.make(), 'wt');
  git(source, ['clone', '-q', '-b', 'main', source, wt]);
  const commit = (file: string, text: string) => {
    writeFileSync(join(wt, file), text);
    git(wt, ['add', '-A']);
    git(wt, ['commit', '-q', '-m', `add ${file}`]);
    return git(wt, ['rev-parse', 'HEAD']).trim();
  };
  const first = commit('feature.txt', 'a feature\n');
  await gitAsync(wt, ['push', '-q', forkUrl, 'HEAD:refs/heads/feature']);

  const pulls = `/api/v1/repos/${owner.username}/${parent}/pulls`;
  // Positive control beside the refusal: a branch the fork does not have is refused.
  const missing = await call(base, 'POST', pulls, {
    auth: tokenOf(other),
    json: { head: `${other.username}:nope`, base: 'main', title: 'x' },
  });
  expect(missing.status).toBe(422);
  const opened = await call<{ number: number; head: { label: string; sha: string }; mergeable: boolean }>(
    base,
    'POST',
    pulls,
    {
      auth: tokenOf(other),
      json: { head: `${other.username}:feature`, base: 'main', title: 'From the fork' },
    },
  );
  expect(opened.status).toBe(201);
  expect(opened.body.head.label).toBe(`${other.username}:feature`);
  expect(opened.body.head.sha).toBe(first);
  expect(opened.body.mergeable).toBe(true);
  const n = opened.body.number;

  // The upstream holds the commits itself: fetchable as pull/{n}/head, as on GitHub.
  const upstreamUrl = authUrl(base, owner, owner.username, parent);
  const clone = join(dirs.make(), 'up');
  await gitAsync(source, ['clone', '-q', '--bare', upstreamUrl, clone]);
  await gitAsync(clone, ['fetch', '-q', 'origin', `pull/${n}/head`]);
  expect(git(clone, ['rev-parse', 'FETCH_HEAD']).trim()).toBe(first);

  // A push to the fork's branch: the pull request follows.
  const second = commit('feature2.txt', 'more\n');
  await gitAsync(wt, ['push', '-q', forkUrl, 'HEAD:refs/heads/feature']);
  const moved = await call<{ head: { sha: string } }>(base, 'GET', `${pulls}/${n}`, { auth: tokenOf(owner) });
  expect(moved.body.head.sha).toBe(second);
  expect(await remoteRefs(owner, owner.username, parent)).toContain(`${second}\trefs/pull/${n}/head`);

  // Only upstream writers merge: the fork's owner (a reader of the upstream) is refused.
  const refused = await call(base, 'POST', `${pulls}/${n}/merge`, {
    auth: tokenOf(other),
    json: { Do: 'merge' },
  });
  expect(refused.status).toBe(403);
  const merged = await call<{ merged: boolean }>(base, 'POST', `${pulls}/${n}/merge`, {
    auth: tokenOf(owner),
    json: { Do: 'merge' },
  });
  expect(merged.status).toBe(200);
  expect(merged.body.merged).toBe(true);
  const mainTip = (await remoteRefs(owner, owner.username, parent)).find((l) =>
    l.endsWith('\trefs/heads/main'),
  );
  const strict = await strictClone(owner, owner.username, parent);
  expect(
    git(strict, ['rev-list', '--parents', '-n', '1', mainTip?.split('\t')[0] ?? 'x'])
      .trim()
      .split(' ')[2],
  ).toBe(second);

  // The fork deleted: the pull request and its commits stay readable.
  expect(
    (await call(base, 'DELETE', `/api/v1/repos/${other.username}/${parent}`, { auth: tokenOf(other) }))
      .status,
  ).toBe(204);
  const after = await call<{ head: { sha: string } }>(base, 'GET', `${pulls}/${n}`, { auth: tokenOf(owner) });
  expect(after.status).toBe(200);
  expect(after.body.head.sha).toBe(second);
  const diff = await call<string>(base, 'GET', `${pulls}/${n}.diff`, { auth: tokenOf(owner) });
  expect(diff.body).toContain('feature2.txt');
  await gitAsync(clone, ['fetch', '-q', 'origin', `pull/${n}/head`]);
  expect(git(clone, ['rev-parse', 'FETCH_HEAD']).trim()).toBe(second);
});
