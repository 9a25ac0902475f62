// Pull requests across repositories, driven with real git: a push to the fork moves the upstream's
// pull request by itself (refs/pull/{n}/head, `synchronized` webhook) without anyone reading it;
// nobody pushes to refs/pull/* of the upstream (git's "deny updating a hidden ref"); "Sync fork"
// (merge-upstream) fast-forwards or merges the fork's branch, and who may do it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  authUrl,
  call,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { forkOf, repoWithHistory } from '../helpers/forks';
import { git, gitAsync, gitTry, makeRepo, TempDirs } from '../helpers/git';
import { HookReceiver } from '../helpers/hook-receiver';
import { grant } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let forker: GitUser;
let source: string;
const receivers: HookReceiver[] = [];

beforeAll(async () => {
  owner = await createUser(base, 'fpull-owner');
  forker = await createUser(base, 'fpull-forker');
  source = dirs.keep(makeRepo(20));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  dirs.removeAll();
});

/** A work tree of the fixture whose commits go to the fork's branches. */
class WorkTree {
  readonly dir = join(dirs.make(), 'wt');
  constructor() {
    git(source, ['clone', '-q', '-b', 'main', source, this.dir]);
  }
  commit(file: string, text: string): string {
    writeFileSync(join(this.dir, file), text);
    git(this.dir, ['add', '-A']);
    git(this.dir, ['commit', '-q', '-m', `add ${file}`]);
    return git(this.dir, ['rev-parse', 'HEAD']).trim();
  }
}

/** The owner's repository holding the fixture, the forker's fork of it, and a work tree. */
async function upstreamAndFork() {
  const { name, url: upstreamUrl } = await repoWithHistory(base, owner, source, { prefix: 'fpull' });
  await forkOf(base, forker, owner.username, name);
  return {
    name,
    upstreamUrl,
    forkUrl: authUrl(base, forker, forker.username, name),
    pulls: `/api/v1/repos/${owner.username}/${name}/pulls`,
    wt: new WorkTree(),
  };
}

/** Opens the pull request `forker:branch` -> main; its number. */
async function openFromFork(pulls: string, branch: string): Promise<number> {
  const opened = await call<{ number: number }>(base, 'POST', pulls, {
    auth: asToken(forker.token),
    json: { head: `${forker.username}:${branch}`, base: 'main', title: `From ${branch}` },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body.number;
}

/** `git ls-remote` of a repository as ref -> oid (reads refs only: no pull request is loaded). */
async function lsRemote(url: string): Promise<Map<string, string>> {
  const out = await gitAsync(source, ['ls-remote', url]);
  return new Map(
    out
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [oid, ref] = l.split('\t');
        return [ref, oid] as [string, string];
      }),
  );
}

test('a push to the fork moves the upstream pull request by itself: refs/pull/{n}/head and `synchronized`', async () => {
  const { upstreamUrl, forkUrl, pulls, wt, name } = await upstreamAndFork();
  const first = wt.commit('feature.txt', 'one\n');
  await gitAsync(wt.dir, ['push', '-q', forkUrl, 'HEAD:refs/heads/feature']);
  const n = await openFromFork(pulls, 'feature');
  const hooks = await HookReceiver.start();
  receivers.push(hooks);
  const hook = await call(base, 'POST', `/api/v1/repos/${owner.username}/${name}/hooks`, {
    auth: asToken(owner.token),
    json: {
      type: 'gitea',
      config: { url: hooks.url, content_type: 'json' },
      events: ['pull_request'],
      active: true,
    },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  expect((await lsRemote(upstreamUrl)).get(`refs/pull/${n}/head`)).toBe(first);

  const second = wt.commit('feature2.txt', 'two\n');
  await gitAsync(wt.dir, ['push', '-q', forkUrl, 'HEAD:refs/heads/feature']);
  // Nobody reads the pull request: the push to the fork alone brings the delivery.
  const sync = await hooks.waitFor(
    (l) => l.find((r) => r.headers['x-gitea-event'] === 'pull_request' && r.json.action === 'synchronized'),
    'pull_request synchronized',
  );
  expect(sync.json).toMatchObject({
    number: n,
    commit_id: second,
    pull_request: { head: { sha: second, label: `${forker.username}:feature` } },
  });
  expect((await lsRemote(upstreamUrl)).get(`refs/pull/${n}/head`)).toBe(second);

  // The upstream's own branch of the same name is another head: pushing it synchronizes nothing
  // of the fork's pull request (the next delivery is the one for the fork's third commit).
  await gitAsync(source, ['push', '-q', upstreamUrl, 'main:refs/heads/feature']);
  const third = wt.commit('feature3.txt', 'three\n');
  await gitAsync(wt.dir, ['push', '-q', forkUrl, 'HEAD:refs/heads/feature']);
  await hooks.waitFor(
    (l) => l.find((r) => r.json.action === 'synchronized' && r.json.commit_id === third),
    'the third synchronized',
  );
  const syncs = hooks.events('pull_request').filter((r) => r.json.action === 'synchronized');
  expect(syncs.map((r) => r.json.commit_id)).toEqual([second, third]);
});

test('nobody pushes to refs/pull/* of a repository (deny updating a hidden ref), over v0 and v2', async () => {
  const { upstreamUrl, forkUrl, pulls, wt } = await upstreamAndFork();
  const head = wt.commit('feature.txt', 'one\n');
  await gitAsync(wt.dir, ['push', '-q', forkUrl, 'HEAD:refs/heads/feature']);
  const n = await openFromFork(pulls, 'feature');
  const other = wt.commit('other.txt', 'other\n');
  for (const version of ['0', '2']) {
    const branch = `ok-v${version}`;
    // The owner pushes a normal branch and, beside it, a pull request's head and a new refs/pull ref.
    const r = gitTry(wt.dir, [
      '-c',
      `protocol.version=${version}`,
      'push',
      '--porcelain',
      upstreamUrl,
      `HEAD:refs/heads/${branch}`,
      `+HEAD:refs/pull/${n}/head`,
      'HEAD:refs/pull/999/head',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(`refs/pull/${n}/head\t[remote rejected] (deny updating a hidden ref)`);
    expect(r.stdout).toContain('refs/pull/999/head\t[remote rejected] (deny updating a hidden ref)');
    const refs = await lsRemote(upstreamUrl);
    expect(refs.get(`refs/heads/${branch}`)).toBe(other);
    expect(refs.get(`refs/pull/${n}/head`)).toBe(head);
    expect(refs.has('refs/pull/999/head')).toBe(false);
  }
  const del = gitTry(wt.dir, ['push', '--porcelain', upstreamUrl, `:refs/pull/${n}/head`]);
  expect(del.stdout).toContain('deny updating a hidden ref');
  expect((await lsRemote(upstreamUrl)).get(`refs/pull/${n}/head`)).toBe(head);
  // A mirror push does not try to delete them either: receive-pack does not show them.
  const mirror = gitTry(wt.dir, ['push', '--porcelain', '--mirror', upstreamUrl]);
  expect(mirror.stdout).not.toContain('refs/pull/');
  expect((await lsRemote(upstreamUrl)).get(`refs/pull/${n}/head`)).toBe(head);
});

/** Pushes a commit of `file` on top of `tip` to `url`'s main (through a scratch work tree). */
async function pushCommitOn(url: string, file: string, text: string): Promise<string> {
  const wt = new WorkTree();
  await gitAsync(wt.dir, ['fetch', '-q', url, 'main']);
  git(wt.dir, ['reset', '-q', '--hard', 'FETCH_HEAD']);
  const oid = wt.commit(file, text);
  await gitAsync(wt.dir, ['push', '-q', url, 'HEAD:refs/heads/main']);
  return oid;
}

test('Sync fork (merge-upstream): fast-forward, up to date, a merge commit, and 409 on a conflict', async () => {
  const { name, upstreamUrl, forkUrl } = await upstreamAndFork();
  const sync = (json: unknown = { branch: 'main' }) =>
    call<{ merge_type?: string; message?: string }>(
      base,
      'POST',
      `/api/v1/repos/${forker.username}/${name}/merge-upstream`,
      { auth: asToken(forker.token), json },
    );
  const ahead = await pushCommitOn(upstreamUrl, 'upstream1.txt', 'u1\n');
  expect((await sync()).body).toEqual({ merge_type: 'fast-forward' });
  expect((await lsRemote(forkUrl)).get('refs/heads/main')).toBe(ahead);
  expect((await sync()).body).toEqual({ merge_type: 'up-to-date' });

  // Both sides moved, on different files: a merge commit whose parents are the fork's and the upstream's.
  const mine = await pushCommitOn(forkUrl, 'fork1.txt', 'f1\n');
  const theirs = await pushCommitOn(upstreamUrl, 'upstream2.txt', 'u2\n');
  expect((await sync()).body).toEqual({ merge_type: 'merge' });
  const clone = join(dirs.make(), 'fork');
  await gitAsync(source, ['clone', '-q', '--mirror', forkUrl, clone]);
  const fsck = gitTry(clone, ['fsck', '--full', '--strict', '--no-dangling']);
  expect(fsck.code, fsck.stderr).toBe(0);
  expect(git(clone, ['rev-list', '--parents', '-n', '1', 'main']).trim().split(' ').slice(1)).toEqual([
    mine,
    theirs,
  ]);
  expect(git(clone, ['ls-tree', '--name-only', 'main']).split('\n')).toEqual(
    expect.arrayContaining(['fork1.txt', 'upstream1.txt', 'upstream2.txt']),
  );
  // The sync's own ref is gone again, and pushes cannot write it.
  expect([...(await lsRemote(forkUrl)).keys()].filter((r) => r.startsWith('refs/sync/'))).toEqual([]);

  // Both change one file: 409 with the paths, the fork's branch unchanged.
  const before = await pushCommitOn(forkUrl, 'same.txt', 'fork side\n');
  await pushCommitOn(upstreamUrl, 'same.txt', 'upstream side\n');
  const conflicted = await sync();
  expect(conflicted.status).toBe(409);
  expect(conflicted.body.message).toContain('same.txt');
  expect((await lsRemote(forkUrl)).get('refs/heads/main')).toBe(before);

  // Bad input: a branch the upstream lacks, no branch, a repository that is no fork.
  expect((await sync({ branch: 'nope' })).status).toBe(422);
  expect((await sync({})).status).toBe(422);
  const notFork = await call(base, 'POST', `/api/v1/repos/${owner.username}/${name}/merge-upstream`, {
    auth: asToken(owner.token),
    json: { branch: 'main' },
  });
  expect(notFork.status).toBe(422);
});

describe('who may sync a fork', () => {
  type Who = 'anonymous' | 'readOnlyToken' | 'stranger' | 'reader' | 'writer' | 'admin' | 'owner';
  const WHO: readonly Who[] = [
    'anonymous',
    'readOnlyToken',
    'stranger',
    'reader',
    'writer',
    'admin',
    'owner',
  ];
  // On the fork (owned by `owner` here); a private fork is 404 to those who cannot read it.
  const EXPECTED: Record<'public' | 'private', Record<Who, number>> = {
    public: {
      anonymous: 401,
      readOnlyToken: 403,
      stranger: 403,
      reader: 403,
      writer: 200,
      admin: 200,
      owner: 200,
    },
    private: {
      anonymous: 404,
      readOnlyToken: 403,
      stranger: 404,
      reader: 403,
      writer: 200,
      admin: 200,
      owner: 200,
    },
  };
  const users = {} as Record<Exclude<Who, 'anonymous' | 'readOnlyToken'>, GitUser>;
  const auths = {} as Record<Who, Auth>;

  beforeAll(async () => {
    const names = ['stranger', 'reader', 'writer', 'admin', 'owner'] as const;
    const made = await Promise.all(names.map((n) => createUser(base, `syncm-${n}`)));
    names.forEach((n, i) => {
      users[n] = made[i];
      auths[n] = asToken(made[i].token);
    });
    auths.anonymous = null;
    auths.readOnlyToken = asToken(
      (await createToken(base, users.owner, { scopes: ['read:repository'] })).sha1,
    );
  });

  for (const visibility of ['public', 'private'] as const) {
    test(`${visibility} fork`, async () => {
      const { name, url: upstreamUrl } = await repoWithHistory(base, owner, source, {
        prefix: 'syncm',
        private: visibility === 'private',
      });
      // Everyone the fork names may read the parent; the fork's owner forks it.
      for (const who of ['reader', 'writer', 'admin', 'owner'] as const)
        await grant(base, owner, name, users[who], 'read');
      await forkOf(base, users.owner, owner.username, name);
      await grant(base, users.owner, name, users.reader, 'read');
      await grant(base, users.owner, name, users.writer, 'write');
      await grant(base, users.owner, name, users.admin, 'admin');
      await pushCommitOn(upstreamUrl, 'ahead.txt', 'ahead\n');
      const got: Record<string, number> = {};
      for (const who of WHO) {
        const r = await call(base, 'POST', `/api/v1/repos/${users.owner.username}/${name}/merge-upstream`, {
          auth: auths[who],
          json: { branch: 'main' },
        });
        got[who] = r.status;
      }
      expect(got).toEqual(EXPECTED[visibility]);
    });
  }
});
