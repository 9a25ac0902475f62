// Migrations and pull mirrors: the server fetches a repository from C git's own server
// (`git http-backend` on 127.0.0.1; test servers allow loopback hosts only) with the engine's fetch.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { git, gitTry, makeRepo, TempDirs } from '../helpers/git';
import { type HoldingProxy, startHoldingProxy } from '../helpers/holding-proxy';
import { HookReceiver } from '../helpers/hook-receiver';
import { type HttpBackend, startHttpBackend } from '../helpers/http-backend';
import { grant } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let backend: HttpBackend;
let user: GitUser;
let source: string;

/** The backend behind a proxy that, while `cut` is set, ends pack answers after 30,000 bytes. */
let proxy: HoldingProxy;

beforeAll(async () => {
  backend = await startHttpBackend();
  // Thousands of commits with merges, renames, binaries, lightweight and annotated tags.
  source = dirs.keep(makeRepo(2000));
  user = await createUser(base, 'migr');
  proxy = await startHoldingProxy(backend.url, { cutAfter: 30_000 });
}, 180_000);

afterAll(async () => {
  await proxy.close();
  await backend.close();
  dirs.removeAll();
});

/** A bare copy of the source served by the backend as `name`; its path. */
function publish(name: string): string {
  const dir = join(backend.root, `${name}.git`);
  git(backend.root, ['clone', '-q', '--mirror', source, dir]);
  return dir;
}

function refsOf(dir: string): string {
  return git(dir, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags']);
}

/** A mirror clone of our copy, checked with `git fsck --strict`; its refs. */
function cloneRefs(name: string): { refs: string; head: string } {
  const dir = join(dirs.make(), 'c.git');
  git(dirs.make(), ['clone', '-q', '--mirror', `${base}/${user.username}/${name}.git`, dir]);
  git(dir, ['fsck', '--strict', '--no-dangling']);
  return { refs: refsOf(dir), head: git(dir, ['symbolic-ref', 'HEAD']).trim() };
}

function migrate(json: Record<string, unknown>, token = user.token) {
  return call<Record<string, unknown>>(base, 'POST', '/api/v1/repos/migrate', { auth: asToken(token), json });
}

test('migrates every branch, tag and object, HEAD as the source', async () => {
  const dir = publish('whole');
  git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/side-b']);
  git(dir, ['branch', 'side-b', 'main~7']);
  const res = await migrate({
    clone_addr: `${backend.url}/whole.git`,
    repo_name: 'whole',
    description: 'in',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body).toMatchObject({ name: 'whole', empty: false, default_branch: 'side-b', mirror: false });
  expect(res.body.migration_status).toBe('done');
  const copy = cloneRefs('whole');
  expect(copy.refs).toBe(refsOf(dir));
  expect(copy.refs).toContain('refs/tags/');
  expect(copy.head).toBe('refs/heads/side-b');
  // A migration that is done takes pushes.
  const work = join(dirs.make(), 'w');
  git(dirs.make(), ['clone', '-q', dir, work]);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'after']);
  const push = gitTry(work, ['push', authed('whole'), 'HEAD:refs/heads/after']);
  expect(push.code, push.stderr).toBe(0);
});

function authed(name: string): string {
  const u = new URL(`${base}/${user.username}/${name}.git`);
  u.username = user.username;
  u.password = user.token;
  return u.toString();
}

test('a host outside ALLOWED_HOST_LIST is refused with 422 and nothing is created', async () => {
  const refused = await migrate({ clone_addr: 'http://192.168.7.7/x.git', repo_name: 'refused' });
  expect(refused.status).toBe(422);
  expect(String(refused.body.message)).toMatch(/allowed host list/);
  expect(
    (await call(base, 'GET', `/api/v1/repos/${user.username}/refused`, { auth: asToken(user.token) })).status,
  ).toBe(404);
  // Positive control: the loopback source is allowed.
  publish('allowed');
  const ok = await migrate({ clone_addr: `${backend.url}/allowed.git`, repo_name: 'allowed' });
  expect(ok.status).toBe(201);
});

test('a source that fails mid-pack leaves a failed, empty repository that a retry completes', async () => {
  const dir = publish('flaky');
  proxy.cut = true;
  const res = await migrate({ clone_addr: `${proxy.url}/flaky.git`, repo_name: 'flaky' });
  expect(res.status).toBe(422);
  expect(String(res.body.message)).toMatch(/^migration failed: /);
  const failed = await call(base, 'GET', `/api/v1/repos/${user.username}/flaky`, {
    auth: asToken(user.token),
  });
  expect(failed.body).toMatchObject({ empty: true, migration_status: 'failed' });
  expect(failed.body.migration_error).toBeTruthy();
  // The page says so too.
  const page = await (await fetch(`${base}/${user.username}/flaky`)).text();
  expect(page).toContain('migration failed');
  // Nothing half-imported is served.
  const ls = gitTry(dirs.make(), ['ls-remote', authed('flaky')]);
  expect(ls.stdout.trim()).toBe('');
  // A push into it is refused while the migration is not done.
  const work = join(dirs.make(), 'w');
  git(dirs.make(), ['clone', '-q', dir, work]);
  const push = gitTry(work, ['push', authed('flaky'), 'HEAD:refs/heads/main']);
  expect(push.code).not.toBe(0);
  expect(push.stderr).toMatch(/being migrated/);
  proxy.cut = false;
  const retry = await call(base, 'POST', `/api/v1/repos/${user.username}/flaky/mirror-sync`, {
    auth: asToken(user.token),
  });
  expect(retry.status, JSON.stringify(retry.body)).toBe(200);
  expect(retry.body.migration_status).toBe('done');
  expect(cloneRefs('flaky').refs).toBe(refsOf(dir));
  const donePage = await (await fetch(`${base}/${user.username}/flaky`)).text();
  expect(donePage).toContain('Migrated from');
  expect(donePage).not.toContain('migration failed');
});

test('a pull mirror refuses pushes, follows a new commit, a force push and a deleted branch, and fires their webhooks', async () => {
  const dir = publish('followed');
  git(dir, ['branch', 'doomed', 'main~2']);
  git(dir, ['branch', 'forced', 'main~1']);
  const res = await migrate({
    clone_addr: `${backend.url}/followed.git`,
    repo_name: 'followed',
    mirror: true,
    mirror_interval: '10m',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body).toMatchObject({ mirror: true, mirror_interval: '0h10m0s' });
  expect(cloneRefs('followed').refs).toBe(refsOf(dir));

  const work = join(dirs.make(), 'w');
  git(dirs.make(), ['clone', '-q', '-b', 'main', dir, work]);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'new on the source']);
  const refused = gitTry(work, ['push', authed('followed'), 'HEAD:refs/heads/main']);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/pull mirror .* read-only/);

  const hooks = await HookReceiver.start();
  const hook = await call(base, 'POST', `/api/v1/repos/${user.username}/followed/hooks`, {
    auth: asToken(user.token),
    json: {
      type: 'gitea',
      config: { url: hooks.url, content_type: 'json' },
      events: ['push', 'create', 'delete'],
    },
  });
  expect(hook.status).toBe(201);
  git(work, ['push', '-q', dir, 'HEAD:refs/heads/main']);
  git(dir, ['branch', '-D', 'doomed']);
  git(dir, ['branch', '-f', 'forced', 'main~30']);
  git(dir, ['branch', 'born', 'main~4']);
  const sync = await call(base, 'POST', `/api/v1/repos/${user.username}/followed/mirror-sync`, {
    auth: asToken(user.token),
  });
  expect(sync.status, JSON.stringify(sync.body)).toBe(200);
  const after = cloneRefs('followed').refs;
  expect(after).toBe(refsOf(dir));
  expect(after).not.toContain('refs/heads/doomed');
  const head = git(dir, ['rev-parse', 'main']).trim();
  expect(after).toContain(head);

  // The sync's moves arrive as the owner's push: main's new commit, the forced branch, the new
  // and the deleted ones.
  try {
    const event = (name: string, ref: string) => (l: typeof hooks.received) =>
      l.find((r) => r.headers['x-gitea-event'] === name && r.json.ref === ref);
    const main = await hooks.waitFor(event('push', 'refs/heads/main'), 'push of main');
    expect(main.json).toMatchObject({ after: head, pusher: { login: user.username } });
    expect((main.json.commits as { message: string }[]).map((c) => c.message)).toEqual([
      'new on the source\n',
    ]);
    const forced = await hooks.waitFor(event('push', 'refs/heads/forced'), 'push of forced');
    expect(forced.json.after).toBe(git(dir, ['rev-parse', 'main~30']).trim());
    await hooks.waitFor(event('create', 'born'), 'create of born');
    await hooks.waitFor(event('delete', 'doomed'), 'delete of doomed');
  } finally {
    await hooks.close();
  }
});

test('a pull mirror syncs by itself once its interval has elapsed: the alarm, run at the test clock', async () => {
  const dir = publish('timed');
  const started = Date.now();
  const res = await migrate({
    clone_addr: `${backend.url}/timed.git`,
    repo_name: 'timed',
    mirror: true,
    mirror_interval: '10m',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const path = `/api/v1/repos/${user.username}/timed`;
  const dueAt = async () => {
    const stats = await call<{ alarms: Record<string, string> }>(base, 'GET', `${path}/git/stats`, {
      auth: asToken(user.token),
    });
    expect(stats.status).toBe(200);
    return Date.parse(stats.body.alarms.mirror);
  };
  const due = await dueAt();
  expect(due).toBeGreaterThanOrEqual(started + 600_000);
  const run = async (at: number) => {
    const r = await call<{ ran: string[] }>(base, 'POST', `${path}/git/alarm`, {
      auth: asToken(user.token),
      headers: { 'X-Gitflare-Test-Now': new Date(at).toISOString() },
    });
    expect(r.status).toBe(200);
    return r.body.ran;
  };
  const work = join(dirs.make(), 'w');
  git(dirs.make(), ['clone', '-q', '-b', 'main', dir, work]);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'after the mirror was made']);
  git(work, ['push', '-q', dir, 'HEAD:refs/heads/main']);
  const before = cloneRefs('timed').refs;
  // Control: before the interval has elapsed the alarm's work does not include the sync.
  expect(await run(Date.now())).not.toContain('mirror');
  expect(cloneRefs('timed').refs).toBe(before);
  expect(before).not.toBe(refsOf(dir));
  expect(await run(due + 1000)).toContain('mirror');
  expect(cloneRefs('timed').refs).toBe(refsOf(dir));
  // The next sync one interval after this one.
  expect(await dueAt()).toBeGreaterThan(due);
});

test('git/alarm (background work run now): the repository admins only, public and private', async () => {
  const [reader, writer, admin, stranger] = await Promise.all([
    createUser(base, 'alrd'),
    createUser(base, 'alwr'),
    createUser(base, 'aladm'),
    createUser(base, 'alst'),
  ]);
  const scoped = await createToken(base, user, { scopes: ['read:repository'] });
  for (const [name, priv] of [
    ['alarm-pub', false],
    ['alarm-priv', true],
  ] as const) {
    await createRepo(base, user, name, { private: priv });
    await grant(base, user, name, reader, 'read');
    await grant(base, user, name, writer, 'write');
    await grant(base, user, name, admin, 'admin');
  }
  const callers: [string, Auth][] = [
    ['anonymous', null],
    ['stranger', asToken(stranger.token)],
    ['reader', asToken(reader.token)],
    ['writer', asToken(writer.token)],
    ['admin', asToken(admin.token)],
    ['owner', asToken(user.token)],
    ['read-scoped token', asToken(scoped.sha1)],
  ];
  const got: Record<string, number[]> = {};
  for (const [who, auth] of callers) {
    got[who] = [];
    for (const name of ['alarm-pub', 'alarm-priv'])
      got[who].push(
        (await call(base, 'POST', `/api/v1/repos/${user.username}/${name}/git/alarm`, { auth })).status,
      );
  }
  expect(got).toEqual({
    anonymous: [401, 404],
    stranger: [403, 404],
    reader: [403, 403],
    writer: [403, 403],
    admin: [200, 200],
    owner: [200, 200],
    'read-scoped token': [403, 403],
  });
});

describe('authorization', () => {
  let stranger: GitUser;
  beforeAll(async () => {
    publish('authz');
    stranger = await createUser(base, 'strg');
  });

  test('migrate: anonymous 401, a token without write:repository 403, another owner 403', async () => {
    const json = { clone_addr: `${backend.url}/authz.git`, repo_name: 'authz-x' };
    expect((await call(base, 'POST', '/api/v1/repos/migrate', { json })).status).toBe(401);
    const readOnly = await createToken(base, user, { scopes: ['read:repository'] });
    expect((await migrate(json, readOnly.sha1)).status).toBe(403);
    expect((await migrate({ ...json, repo_owner: stranger.username })).status).toBe(403);
    expect(
      (await call(base, 'GET', `/api/v1/repos/${user.username}/authz-x`, { auth: asToken(user.token) }))
        .status,
    ).toBe(404);
  });

  // Gitea: Sync now needs write on the repository; the mirror's settings page needs admin. A token
  // with `read:repository` only is the owner's, so the refusal is its scope's, not its identity's.
  const CALLERS = ['anonymous', 'readToken', 'stranger', 'reader', 'writer', 'admin', 'owner'] as const;
  type Caller = (typeof CALLERS)[number];
  const SYNC: Record<'public' | 'private', Record<Caller, number>> = {
    public: {
      anonymous: 401,
      readToken: 403,
      stranger: 403,
      reader: 403,
      writer: 200,
      admin: 200,
      owner: 200,
    },
    private: {
      anonymous: 404,
      readToken: 403,
      stranger: 404,
      reader: 403,
      writer: 200,
      admin: 200,
      owner: 200,
    },
  };
  // The same for either visibility: only admins see a repository's settings.
  const SETTINGS: Record<Caller, number> = {
    anonymous: 404,
    readToken: 404,
    stranger: 404,
    reader: 404,
    writer: 404,
    admin: 200,
    owner: 200,
  };

  test('mirror-sync and the mirror settings page, public and private: who may, by the table', async () => {
    const [reader, writer, admin] = await Promise.all(['mrd', 'mwr', 'madm'].map((p) => createUser(base, p)));
    const readOnly = await createToken(base, user, { scopes: ['read:repository'] });
    const auths: Record<Caller, ReturnType<typeof asToken> | null> = {
      anonymous: null,
      readToken: asToken(readOnly.sha1),
      stranger: asToken(stranger.token),
      reader: asToken(reader.token),
      writer: asToken(writer.token),
      admin: asToken(admin.token),
      owner: asToken(user.token),
    };
    for (const visibility of ['public', 'private'] as const) {
      const name = `authz-${visibility}`;
      const dir = publish(`authz-src-${visibility}`);
      const made = await migrate({
        clone_addr: `${backend.url}/authz-src-${visibility}.git`,
        repo_name: name,
        mirror: true,
        private: visibility === 'private',
      });
      expect(made.status).toBe(201);
      await grant(base, user, name, reader, 'read');
      await grant(base, user, name, writer, 'write');
      await grant(base, user, name, admin, 'admin');
      const sync = {} as Record<Caller, number>;
      const settings = {} as Record<Caller, number>;
      for (const who of CALLERS) {
        // A new commit on the source before each sync: a 200 brings it, a refusal does not.
        const work = join(dirs.make(), 'work');
        git(dirs.make(), ['clone', '-q', dir, work]);
        git(work, ['commit', '-q', '--allow-empty', '-m', `for ${who}`]);
        git(work, ['push', '-q', 'origin', 'HEAD:main']);
        const tip = git(dir, ['rev-parse', 'refs/heads/main']).trim();
        const res = await call(base, 'POST', `/api/v1/repos/${user.username}/${name}/mirror-sync`, {
          auth: auths[who],
        });
        sync[who] = res.status;
        const branch = await call<{ commit: { id: string } }>(
          base,
          'GET',
          `/api/v1/repos/${user.username}/${name}/branches/main`,
          { auth: asToken(user.token) },
        );
        expect(branch.body.commit.id === tip, who).toBe(res.status === 200);
        const page = await call<string>(base, 'GET', `/${user.username}/${name}/settings`, {
          auth: auths[who],
        });
        settings[who] = page.status;
        expect(String(page.body).includes('Sync now'), who).toBe(page.status === 200);
      }
      expect(sync, visibility).toEqual(SYNC[visibility]);
      expect(settings, visibility).toEqual(SETTINGS);
    }
  });
});
