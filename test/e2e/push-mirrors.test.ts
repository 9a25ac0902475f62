// Push mirrors: the server pushes a repository to C git's own server (`git http-backend` on
// 127.0.0.1, receive.fsckObjects on), on demand and after each push; and sources and remotes that
// require HTTP Basic credentials, which are used and never returned.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asToken,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { git, makeRepo, TempDirs } from '../helpers/git';
import { branchesAndTags, type HttpBackend, startHttpBackend } from '../helpers/http-backend';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const base = serverUrl();
const dirs = new TempDirs();
let backend: HttpBackend;
/** A second backend that answers 401 without these credentials. */
let locked: HttpBackend;
const LOCK = { username: 'mirror-bot', password: 'pa55-w0rd-secret' };
let user: GitUser;
let source: string;

beforeAll(async () => {
  [backend, locked] = await Promise.all([startHttpBackend(), startHttpBackend({ auth: LOCK })]);
  source = dirs.keep(makeRepo(200));
  user = await createUser(base, 'pmir');
}, 180_000);

afterAll(async () => {
  await Promise.all([backend.close(), locked.close()]);
  dirs.removeAll();
});

const auth = () => asToken(user.token);
const api = (name: string) => `/api/v1/repos/${user.username}/${name}`;

/** A repository of ours with the source's history (migrated from the backend). */
async function ourCopy(name: string): Promise<void> {
  git(backend.root, ['clone', '-q', '--mirror', source, join(backend.root, `${name}-src.git`)]);
  const res = await call(base, 'POST', '/api/v1/repos/migrate', {
    auth: auth(),
    json: { clone_addr: `${backend.url}/${name}-src.git`, repo_name: name },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

function ourRefs(name: string): Record<string, string> {
  const dir = join(dirs.make(), 'c.git');
  git(dirs.make(), ['clone', '-q', '--mirror', `${base}/${user.username}/${name}.git`, dir]);
  return branchesAndTags(dir);
}

function authed(name: string): string {
  const u = new URL(`${base}/${user.username}/${name}.git`);
  u.username = user.username;
  u.password = user.token;
  return u.toString();
}

test('a push mirror receives every branch and tag on demand, then each push: commit, force, deletion', async () => {
  await ourCopy('pushed');
  const remote = backend.create('pushed-remote');
  const remoteDir = join(backend.root, 'pushed-remote.git');
  const created = await call(base, 'POST', `${api('pushed')}/push_mirrors`, {
    auth: auth(),
    json: { remote_address: remote, interval: '0', sync_on_commit: true },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  expect(created.body).toMatchObject({
    repo_name: 'pushed',
    remote_address: remote,
    interval: '0h0m0s',
    sync_on_commit: true,
    last_error: '',
  });
  const remoteName = String(created.body.remote_name);
  expect(remoteName).toMatch(/^remote_mirror_[A-Za-z0-9]{10}$/);
  // Nothing is pushed before a sync or a push.
  expect(branchesAndTags(remoteDir)).toEqual({});

  const sync = await call<Record<string, unknown>[]>(base, 'POST', `${api('pushed')}/push_mirrors-sync`, {
    auth: auth(),
  });
  expect(sync.status, JSON.stringify(sync.body)).toBe(200);
  expect(sync.body[0]).toMatchObject({ remote_name: remoteName, last_error: '' });
  expect(sync.body[0].last_update).not.toBe('1970-01-01T00:00:00Z');
  const ours = ourRefs('pushed');
  expect(Object.keys(ours).some((n) => n.startsWith('refs/tags/v'))).toBe(true);
  expect(branchesAndTags(remoteDir)).toEqual(ours);
  git(remoteDir, ['fsck', '--strict', '--no-dangling']);

  // Pushes to us: a new commit, a forced branch, a deleted one; each followed by the mirror.
  const work = join(dirs.make(), 'w');
  git(dirs.make(), ['clone', '-q', authed('pushed'), work]);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'pushed here']);
  git(work, ['push', '-q', 'origin', 'HEAD:refs/heads/main', 'HEAD~20:refs/heads/gone']);
  let seen = await waitFor('the new branch on the mirror', () => {
    const r = branchesAndTags(remoteDir);
    return r['refs/heads/gone'] !== undefined && r;
  });
  expect(seen).toEqual(ourRefs('pushed'));
  git(work, ['push', '-q', '--force', 'origin', 'HEAD~30:refs/heads/main', ':refs/heads/gone']);
  const forced = git(work, ['rev-parse', 'HEAD~30']).trim();
  seen = await waitFor('the forced branch and the deletion on the mirror', () => {
    const r = branchesAndTags(remoteDir);
    return r['refs/heads/main'] === forced && r['refs/heads/gone'] === undefined && r;
  });
  expect(seen['refs/heads/main']).toBe(forced);
  expect(seen['refs/heads/gone']).toBeUndefined();
  expect(seen).toEqual(ourRefs('pushed'));
  git(remoteDir, ['fsck', '--strict', '--no-dangling']);

  const one = await call(base, 'GET', `${api('pushed')}/push_mirrors/${remoteName}`, { auth: auth() });
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({ remote_name: remoteName, last_error: '' });
  const gone = await call(base, 'DELETE', `${api('pushed')}/push_mirrors/${remoteName}`, { auth: auth() });
  expect(gone.status).toBe(204);
  const after = await call(base, 'GET', `${api('pushed')}/push_mirrors/${remoteName}`, { auth: auth() });
  expect(after.status).toBe(404);
});

test('a refused host is a 422 and a failing remote is recorded in last_error', async () => {
  await ourCopy('failing');
  const refused = await call(base, 'POST', `${api('failing')}/push_mirrors`, {
    auth: auth(),
    json: { remote_address: 'http://192.168.7.7/x.git', interval: '0' },
  });
  expect(refused.status).toBe(422);
  expect(String(refused.body.message)).toMatch(/allowed host list/);
  const bad = await call(base, 'POST', `${api('failing')}/push_mirrors`, {
    auth: auth(),
    json: { remote_address: `${backend.url}/missing.git`, interval: '1m' },
  });
  expect(bad.status).toBe(422);
  expect(String(bad.body.message)).toMatch(/at least 10m/);
  // Positive control beside them: a loopback remote is taken; one that does not exist fails.
  const missing = await call(base, 'POST', `${api('failing')}/push_mirrors`, {
    auth: auth(),
    json: { remote_address: `${backend.url}/missing.git`, interval: '10m' },
  });
  expect(missing.status).toBe(200);
  expect(missing.body.interval).toBe('0h10m0s');
  const sync = await call<Record<string, unknown>[]>(base, 'POST', `${api('failing')}/push_mirrors-sync`, {
    auth: auth(),
  });
  expect(sync.status).toBe(200);
  expect(sync.body[0].last_error).toMatch(/repository not found at the remote/);
  const list = await call<Record<string, unknown>[]>(base, 'GET', `${api('failing')}/push_mirrors`, {
    auth: auth(),
  });
  expect(list.body.map((m) => m.last_error)).toEqual([sync.body[0].last_error]);
});

test('credentials: a push mirror and a pull mirror on a host that requires them; never returned', async () => {
  await ourCopy('locked-push');
  const remote = locked.create('locked-remote');
  const remoteDir = join(locked.root, 'locked-remote.git');
  const wrong = await call(base, 'POST', `${api('locked-push')}/push_mirrors`, {
    auth: auth(),
    json: { remote_address: remote, remote_username: LOCK.username, remote_password: 'wrong', interval: '0' },
  });
  const right = await call(base, 'POST', `${api('locked-push')}/push_mirrors`, {
    auth: auth(),
    json: {
      remote_address: remote,
      remote_username: LOCK.username,
      remote_password: LOCK.password,
      interval: '0',
    },
  });
  expect([wrong.status, right.status]).toEqual([200, 200]);
  const sync = await call<Record<string, unknown>[]>(
    base,
    'POST',
    `${api('locked-push')}/push_mirrors-sync`,
    {
      auth: auth(),
    },
  );
  const byName = Object.fromEntries(sync.body.map((m) => [m.remote_name, m.last_error]));
  expect(byName[String(wrong.body.remote_name)]).toMatch(/authentication failed/);
  expect(byName[String(right.body.remote_name)]).toBe('');
  expect(branchesAndTags(remoteDir)).toEqual(ourRefs('locked-push'));
  for (const body of [wrong.body, right.body, sync.body])
    expect(JSON.stringify(body)).not.toContain(LOCK.password);

  // A pull mirror from the locked host: refused without the credentials, synced with them.
  git(locked.root, ['clone', '-q', '--mirror', source, join(locked.root, 'private-src.git')]);
  const srcDir = join(locked.root, 'private-src.git');
  const clone_addr = `${locked.url}/private-src.git`;
  const without = await call(base, 'POST', '/api/v1/repos/migrate', {
    auth: auth(),
    json: { clone_addr, repo_name: 'locked-pull-x', mirror: true },
  });
  expect(without.status).toBe(422);
  expect(String(without.body.message)).toMatch(/authentication failed/);
  const pulled = await call(base, 'POST', '/api/v1/repos/migrate', {
    auth: auth(),
    json: {
      clone_addr,
      repo_name: 'locked-pull',
      mirror: true,
      auth_username: LOCK.username,
      auth_password: LOCK.password,
    },
  });
  expect(pulled.status, JSON.stringify(pulled.body)).toBe(201);
  expect(ourRefs('locked-pull')).toEqual(branchesAndTags(srcDir));
  // The stored credentials are used again by a sync.
  git(srcDir, ['branch', 'later', 'main~3']);
  const resync = await call(base, 'POST', `${api('locked-pull')}/mirror-sync`, { auth: auth() });
  expect(resync.status, JSON.stringify(resync.body)).toBe(200);
  expect(ourRefs('locked-pull')['refs/heads/later']).toBe(git(srcDir, ['rev-parse', 'main~3']).trim());
  const shown = await call(base, 'GET', api('locked-pull'), { auth: auth() });
  for (const body of [pulled.body, resync.body, shown.body]) {
    expect(JSON.stringify(body)).not.toContain(LOCK.password);
    expect(JSON.stringify(body)).not.toContain(LOCK.username);
  }
  expect(shown.body.original_url).toBe(clone_addr);
  // Lists carry the mirror fields too (they used to answer mirror: false).
  const search = await call<{ data: Record<string, unknown>[] }>(
    base,
    'GET',
    '/api/v1/repos/search?q=locked-pu',
    {
      auth: auth(),
    },
  );
  const listed = search.body.data.filter((r) => r.name === 'locked-pull' || r.name === 'locked-push');
  expect(Object.fromEntries(listed.map((r) => [r.name, r.mirror]))).toEqual({
    'locked-pull': true,
    'locked-push': false,
  });
  expect(listed.find((r) => r.name === 'locked-pull')?.original_url).toBe(clone_addr);
  const page = await (await fetch(`${base}/${user.username}/locked-pull`, { headers: {} })).text();
  expect(page).not.toContain(LOCK.password);
});

describe('authorization of the push mirrors API', () => {
  type Who = 'anonymous' | 'stranger' | 'reader' | 'writer' | 'admin' | 'owner' | 'readToken';
  const ADMIN = { list: 200, create: 200, one: 200, sync: 200, remove: 204 };
  const all = (s: number) => ({ list: s, create: s, one: s, sync: s, remove: s });
  const EXPECTED: Record<'public' | 'private', Record<Who, typeof ADMIN>> = {
    public: {
      anonymous: all(401),
      stranger: all(403),
      reader: all(403),
      writer: all(403),
      admin: ADMIN,
      owner: ADMIN,
      readToken: all(403),
    },
    private: {
      anonymous: all(404),
      stranger: all(404),
      reader: all(403),
      writer: all(403),
      admin: ADMIN,
      owner: ADMIN,
      readToken: all(403),
    },
  };
  const auths = {} as Record<Who, Auth>;
  const repos = {} as Record<'public' | 'private', string>;
  let owner: TestUser;

  beforeAll(async () => {
    owner = await signUp(base, 'pm-owner');
    const names = ['stranger', 'reader', 'writer', 'admin'] as const;
    const made: TestUser[] = await Promise.all(names.map((n) => signUp(base, `pm-${n}`)));
    names.forEach((n, i) => {
      auths[n] = asCookie(made[i]);
    });
    auths.anonymous = null;
    auths.owner = asCookie(owner);
    auths.readToken = asToken((await createToken(base, owner, { scopes: ['read:repository'] })).sha1);
    for (const visibility of ['public', 'private'] as const) {
      const repo = await createRepo(base, owner, uniqueName(`pm-${visibility}`), {
        private: visibility === 'private',
      });
      repos[visibility] = repo.full_name;
      for (const [i, permission] of (['read', 'write', 'admin'] as const).entries())
        await grantOn(base, repo.full_name, asCookie(owner), made[i + 1], permission);
    }
  });

  for (const visibility of ['public', 'private'] as const) {
    for (const who of Object.keys(EXPECTED.public) as Who[]) {
      test(`${visibility} repository, ${who}`, async () => {
        const path = `/api/v1/repos/${repos[visibility]}/push_mirrors`;
        const headers = { Origin: base };
        const as = { auth: auths[who], headers };
        // Each caller's own mirror to act on (made by the owner), so the cells do not depend on order.
        const made = await call(base, 'POST', path, {
          auth: asCookie(owner),
          headers,
          json: { remote_address: `${backend.url}/none.git`, interval: '0' },
        });
        expect(made.status).toBe(200);
        const name = String(made.body.remote_name);
        const list = await call(base, 'GET', path, as);
        const create = await call(base, 'POST', path, {
          ...as,
          json: { remote_address: `${backend.url}/none.git`, interval: '0' },
        });
        const one = await call(base, 'GET', `${path}/${name}`, as);
        const sync = await call(base, 'POST', `${path.replace('push_mirrors', 'push_mirrors-sync')}`, as);
        const remove = await call(base, 'DELETE', `${path}/${name}`, as);
        expect({
          list: list.status,
          create: create.status,
          one: one.status,
          sync: sync.status,
          remove: remove.status,
        }).toEqual(EXPECTED[visibility][who]);
      });
    }
  }
});
