// The permission matrix through the API: actors x (public, private) x actions, exact statuses.
// Actions: read = GET the repository; write = PUT .../topics (a write-level setting here);
// admin = PATCH the repository (settings); maintain = POST .../git/maintenance (admins run the
// alarm's compaction now). `scoped` is the owner's token limited to read:repository. A private repository the caller cannot read is 404
// for everyone, never 401/403; on a public one, an anonymous caller lacking a right gets 401 and
// a signed-in one 403.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asToken,
  call,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

type ActorName = 'anonymous' | 'owner' | 'reader' | 'writer' | 'admin' | 'stranger' | 'scoped';
type Action = 'read' | 'write' | 'admin' | 'maintain';

const EXPECTED: Record<'public' | 'private', Record<ActorName, Record<Action, number>>> = {
  public: {
    anonymous: { read: 200, write: 401, admin: 401, maintain: 401 },
    owner: { read: 200, write: 204, admin: 200, maintain: 200 },
    reader: { read: 200, write: 403, admin: 403, maintain: 403 },
    writer: { read: 200, write: 204, admin: 403, maintain: 403 },
    admin: { read: 200, write: 204, admin: 200, maintain: 200 },
    stranger: { read: 200, write: 403, admin: 403, maintain: 403 },
    scoped: { read: 200, write: 403, admin: 403, maintain: 403 },
  },
  private: {
    anonymous: { read: 404, write: 404, admin: 404, maintain: 404 },
    owner: { read: 200, write: 204, admin: 200, maintain: 200 },
    reader: { read: 200, write: 403, admin: 403, maintain: 403 },
    writer: { read: 200, write: 204, admin: 403, maintain: 403 },
    admin: { read: 200, write: 204, admin: 200, maintain: 200 },
    stranger: { read: 404, write: 404, admin: 404, maintain: 404 },
    scoped: { read: 200, write: 403, admin: 403, maintain: 403 },
  },
};

const users = {} as Record<Exclude<ActorName, 'anonymous' | 'scoped'>, TestUser>;
const auths = {} as Record<ActorName, Auth>;
const repos = {} as Record<'public' | 'private', string>;

beforeAll(async () => {
  const names = ['owner', 'reader', 'writer', 'admin', 'stranger'] as const;
  const made = await Promise.all(names.map((n) => signUp(base, `perm-${n}`)));
  names.forEach((n, i) => {
    users[n] = made[i];
    auths[n] = asCookie(made[i]);
  });
  auths.anonymous = null;
  // The owner acts with a token, the others with their sessions: both paths go through one check.
  auths.owner = asToken((await createToken(base, users.owner)).sha1);
  auths.scoped = asToken((await createToken(base, users.owner, { scopes: ['read:repository'] })).sha1);
  for (const visibility of ['public', 'private'] as const) {
    const repo = await createRepo(base, auths.owner, uniqueName(visibility), {
      private: visibility === 'private',
    });
    repos[visibility] = repo.full_name;
    for (const [who, permission] of [
      ['reader', 'read'],
      ['writer', 'write'],
      ['admin', 'admin'],
    ] as const) {
      await grantOn(base, repo.full_name, auths.owner, users[who], permission);
    }
  }
});

async function attempt(actor: ActorName, visibility: 'public' | 'private', action: Action): Promise<number> {
  const path = `/api/v1/repos/${repos[visibility]}`;
  const auth = auths[actor];
  const r =
    action === 'read'
      ? await call(base, 'GET', path, { auth })
      : action === 'write'
        ? await call(base, 'PUT', `${path}/topics`, { auth, json: { topics: [`t-${actor}`] } })
        : action === 'admin'
          ? await call(base, 'PATCH', path, { auth, json: { description: `set by ${actor}` } })
          : await call(base, 'POST', `${path}/git/maintenance`, { auth });
  if (r.status >= 400) {
    expect(r.body, `${actor} ${visibility} ${action}`).toEqual({ message: expect.any(String) });
    expect(r.headers.get('content-type')).toContain('application/json');
  }
  if (action === 'read' && r.status === 200) {
    expect(r.body).toMatchObject({ full_name: repos[visibility] });
  }
  if (action === 'maintain' && r.status === 200) {
    expect(r.body).toEqual({ compacted_packs: expect.any(Number) });
  }
  return r.status;
}

for (const visibility of ['public', 'private'] as const) {
  describe(`${visibility} repository`, () => {
    for (const actor of Object.keys(EXPECTED[visibility]) as ActorName[]) {
      test(`${actor}: read/write/admin/maintain`, async () => {
        const got = {
          read: await attempt(actor, visibility, 'read'),
          write: await attempt(actor, visibility, 'write'),
          admin: await attempt(actor, visibility, 'admin'),
          maintain: await attempt(actor, visibility, 'maintain'),
        };
        expect(got).toEqual(EXPECTED[visibility][actor]);
      });
    }
  });
}

test('writes that succeeded are visible, refused ones changed nothing', async () => {
  // Its own writes (whatever ran before): one by a writer and one by an admin, then refused ones.
  const path = `/api/v1/repos/${repos.private}`;
  const put = (actor: ActorName, topics: string[]) =>
    call(base, 'PUT', `${path}/topics`, { auth: auths[actor], json: { topics } });
  const patch = (actor: ActorName, description: string) =>
    call(base, 'PATCH', path, { auth: auths[actor], json: { description } });
  expect((await put('writer', ['t-visible'])).status).toBe(204);
  expect((await patch('admin', 'kept')).status).toBe(200);
  for (const actor of ['anonymous', 'reader', 'stranger'] as const) {
    expect((await put(actor, [`t-${actor}`])).status, actor).toBeGreaterThanOrEqual(400);
    expect((await patch(actor, `set by ${actor}`)).status, actor).toBeGreaterThanOrEqual(400);
  }
  expect((await patch('writer', 'set by writer')).status).toBe(403);
  const topics = await call<{ topics: string[] }>(base, 'GET', `${path}/topics`, { auth: auths.owner });
  expect(topics.status).toBe(200);
  expect(topics.body.topics).toEqual(['t-visible']);
  const repo = await call<{ description: string }>(base, 'GET', path, { auth: auths.owner });
  expect(repo.body.description).toBe('kept');
});

test('collaborator management and deletion need admin; private stays 404 to strangers', async () => {
  const target = users.stranger.username;
  for (const who of ['reader', 'writer'] as const) {
    const put = await call(base, 'PUT', `/api/v1/repos/${repos.private}/collaborators/${target}`, {
      auth: auths[who],
      json: { permission: 'read' },
    });
    expect(put.status, who).toBe(403);
    expect(
      (await call(base, 'DELETE', `/api/v1/repos/${repos.private}`, { auth: auths[who] })).status,
      who,
    ).toBe(403);
  }
  for (const auth of [auths.stranger, auths.anonymous]) {
    expect((await call(base, 'GET', `/api/v1/repos/${repos.private}/collaborators`, { auth })).status).toBe(
      404,
    );
    expect((await call(base, 'DELETE', `/api/v1/repos/${repos.private}`, { auth })).status).toBe(404);
    expect((await call(base, 'GET', `/api/v1/repos/${repos.private}/topics`, { auth })).status).toBe(404);
  }
  // A repository that does not exist answers exactly like the private one.
  const missing = `${users.owner.username}/${uniqueName('missing')}`;
  const a = await call(base, 'GET', `/api/v1/repos/${missing}`, { auth: auths.stranger });
  const b = await call(base, 'GET', `/api/v1/repos/${repos.private}`, { auth: auths.stranger });
  expect([a.status, a.body]).toEqual([b.status, b.body]);
  // The stranger's view of the owner's list omits the private repository; the reader's has it.
  const strangerList = await call<{ full_name: string }[]>(
    base,
    'GET',
    `/api/v1/users/${users.owner.username}/repos`,
    {
      auth: auths.stranger,
    },
  );
  expect(strangerList.body.map((r) => r.full_name)).toEqual([repos.public]);
  const readerList = await call<{ full_name: string }[]>(
    base,
    'GET',
    `/api/v1/users/${users.owner.username}/repos`,
    {
      auth: auths.reader,
    },
  );
  expect(readerList.body.map((r) => r.full_name).sort()).toEqual([repos.public, repos.private].sort());
  // The admin collaborator may delete; afterwards nobody sees it.
  expect((await call(base, 'DELETE', `/api/v1/repos/${repos.private}`, { auth: auths.admin })).status).toBe(
    204,
  );
  expect((await call(base, 'GET', `/api/v1/repos/${repos.private}`, { auth: auths.owner })).status).toBe(404);
});

describe("account settings (always the caller's own account)", () => {
  const settings = '/api/v1/user/settings';
  test('anonymous is 401; a token needs read:user to read and write:user to change', async () => {
    const owner = users.owner;
    const readUser = asToken((await createToken(base, owner, { scopes: ['read:user'] })).sha1);
    const writeUser = asToken((await createToken(base, owner, { scopes: ['write:user'] })).sha1);
    const repoOnly = asToken((await createToken(base, owner, { scopes: ['write:repository'] })).sha1);
    const get = async (auth: Auth) => (await call(base, 'GET', settings, { auth })).status;
    const patch = async (auth: Auth, full_name: string) =>
      (await call(base, 'PATCH', settings, { auth, json: { full_name } })).status;
    expect({
      anonymous: [await get(null), await patch(null, 'anon')],
      readUser: [await get(readUser), await patch(readUser, 'by read token')],
      repoOnly: [await get(repoOnly), await patch(repoOnly, 'by repo token')],
      writeUser: [await get(writeUser), await patch(writeUser, 'by write token')],
    }).toEqual({ anonymous: [401, 401], readUser: [200, 403], repoOnly: [403, 403], writeUser: [200, 200] });
    const mine = await call<{ full_name: string }>(base, 'GET', settings, { auth: asCookie(owner) });
    expect(mine.body.full_name).toBe('by write token');
  });

  test("a stranger's settings request reads and changes the stranger's own account only", async () => {
    const before = await call<{ full_name: string }>(base, 'GET', settings, { auth: asCookie(users.owner) });
    const patched = await call<{ full_name: string }>(base, 'PATCH', settings, {
      auth: asCookie(users.stranger),
      json: { full_name: 'the stranger' },
    });
    expect([patched.status, patched.body.full_name]).toEqual([200, 'the stranger']);
    const after = await call<{ full_name: string }>(base, 'GET', settings, { auth: asCookie(users.owner) });
    expect(after.body.full_name).toBe(before.body.full_name);
    expect(after.body.full_name).not.toBe('the stranger');
  });
});
