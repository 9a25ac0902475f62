// Organizations and teams end to end: one namespace with usernames, the Owners team's rules, and
// the permission matrix (anonymous, a stranger, a member without access, read/write/admin team
// members, an owner, a token lacking the scope) on public and private organizations and
// repositories, through the API, real git and the pages.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asToken,
  authUrl,
  call,
  createToken,
  createUser,
  type GitUser,
  uniqueName,
} from '../helpers/accounts';
import { git, TempDirs } from '../helpers/git';
import { gitAsync } from '../helpers/node-git-server';

const base = inject('baseUrl');
const origin = { Origin: base };

type Vis = 'public' | 'private';
type Who = 'anonymous' | 'stranger' | 'member' | 'reader' | 'writer' | 'admin' | 'owner' | 'scopeless';
const PEOPLE = ['stranger', 'member', 'reader', 'writer', 'admin', 'owner'] as const;
type Person = (typeof PEOPLE)[number];

const users = {} as Record<Person, GitUser>;
const auths = {} as Record<Who, Auth>;
const orgs = {} as Record<Vis, string>;
/** `${org}/${repo}` per organization and repository visibility. */
const repos = {} as Record<Vis, Record<Vis, string>>;
const teamIds = {} as Record<Vis, Record<'owners' | 'readers' | 'writers' | 'admins' | 'nothing', number>>;
const dirs = new TempDirs();
let src: string;

const ok = async (p: Promise<{ status: number; body: unknown }>, status: number) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r;
};

beforeAll(async () => {
  const made = await Promise.all(PEOPLE.map((p) => createUser(base, `org-${p}`)));
  PEOPLE.forEach((p, i) => {
    users[p] = made[i];
    auths[p] = asToken(made[i].token);
  });
  auths.anonymous = null;
  // The owner's token that lacks the repository and organization scopes.
  auths.scopeless = asToken((await createToken(base, users.owner, { scopes: ['read:user'] })).sha1);
  // The admin acts by session: both credentials go through one decision.
  auths.admin = asCookie(users.admin);

  src = dirs.make();
  git(src, ['init', '-q', '-b', 'main']);
  writeFileSync(join(src, 'README'), 'hello\n');
  git(src, ['add', 'README']);
  git(src, ['commit', '-q', '-m', 'first']);

  for (const vis of ['public', 'private'] as const) {
    const name = uniqueName(`org-${vis}`);
    const created = await ok(
      call(base, 'POST', '/api/v1/orgs', { auth: auths.owner, json: { username: name, visibility: vis } }),
      201,
    );
    expect(created.body).toMatchObject({ name, username: name, visibility: vis, full_name: '' });
    orgs[vis] = name;
    repos[vis] = {} as Record<Vis, string>;
    for (const repoVis of ['public', 'private'] as const) {
      const r = await ok(
        call(base, 'POST', `/api/v1/orgs/${name}/repos`, {
          auth: auths.owner,
          json: { name: `r-${repoVis}`, private: repoVis === 'private' },
        }),
        201,
      );
      expect(r.body).toMatchObject({ full_name: `${name}/r-${repoVis}`, owner: { login: name } });
      repos[vis][repoVis] = `${name}/r-${repoVis}`;
      const push = await gitAsync(src, [
        'push',
        '-q',
        authUrl(base, users.owner, name, `r-${repoVis}`),
        'main',
      ]);
      expect(push.code, push.stderr).toBe(0);
    }
    const teams = await ok(call(base, 'GET', `/api/v1/orgs/${name}/teams`, { auth: auths.owner }), 200);
    const owners = (teams.body as { id: number; name: string; permission: string }[])[0];
    expect(owners).toMatchObject({ name: 'Owners', permission: 'owner', includes_all_repositories: true });
    const ids = { owners: owners.id } as Record<
      'owners' | 'readers' | 'writers' | 'admins' | 'nothing',
      number
    >;
    for (const [team, permission, all] of [
      ['readers', 'read', false],
      ['writers', 'write', true],
      ['admins', 'admin', false],
      ['nothing', 'read', false],
    ] as const) {
      const t = await ok(
        call(base, 'POST', `/api/v1/orgs/${name}/teams`, {
          auth: auths.owner,
          json: { name: team, permission, includes_all_repositories: all },
        }),
        201,
      );
      expect(t.body).toMatchObject({ name: team, permission, includes_all_repositories: all });
      ids[team] = (t.body as { id: number }).id;
    }
    for (const repoVis of ['public', 'private'] as const) {
      for (const team of ['readers', 'admins'] as const)
        await ok(
          call(base, 'PUT', `/api/v1/teams/${ids[team]}/repos/${repos[vis][repoVis]}`, { auth: auths.owner }),
          204,
        );
    }
    for (const [team, who] of [
      ['readers', 'reader'],
      ['writers', 'writer'],
      ['admins', 'admin'],
      ['nothing', 'member'],
    ] as const) {
      await ok(
        call(base, 'PUT', `/api/v1/teams/${ids[team]}/members/${users[who].username}`, { auth: auths.owner }),
        204,
      );
    }
    teamIds[vis] = ids;
  }
});

afterAll(() => dirs.removeAll());

describe('one namespace with usernames', () => {
  test('names of users, organizations, retired and reserved names are refused with clear errors', async () => {
    const post = (username: unknown) =>
      call(base, 'POST', '/api/v1/orgs', { auth: auths.stranger, json: { username } });
    const taken = await post(users.reader.username.toUpperCase());
    expect([taken.status, taken.body]).toEqual([409, { message: expect.stringContaining('already taken') }]);
    expect((await post(orgs.public)).status).toBe(409);
    const reserved = await post('explore');
    expect([reserved.status, reserved.body]).toEqual([422, { message: expect.stringContaining('reserved') }]);
    for (const bad of ['-x', 'a b', 'x'.repeat(40), '', 7])
      expect((await post(bad)).status, String(bad)).toBe(422);
    // A user cannot sign up with an organization's name.
    const signUp = await call(base, 'POST', '/api/auth/sign-up/email', {
      headers: origin,
      json: {
        name: 'x',
        email: `${uniqueName('e')}@example.test`,
        password: 'pw-long-enough-1',
        username: orgs.private,
      },
    });
    expect(signUp.status).toBeGreaterThanOrEqual(400);
    expect(signUp.status).toBeLessThan(500);
    // A renamed user's old name stays theirs: no organization takes it.
    const renamed = await createUser(base, 'org-rename');
    const old = renamed.username;
    await ok(
      call(base, 'POST', '/api/auth/update-user', {
        auth: asCookie(renamed),
        headers: origin,
        json: { username: uniqueName('org-renamed') },
      }),
      200,
    );
    expect((await post(old)).status).toBe(409);
    // Positive control: a fresh name is free, and the organization is then a taken name.
    const fresh = uniqueName('org-fresh');
    expect((await post(fresh)).status).toBe(201);
    expect((await post(fresh)).status).toBe(409);
  });

  test('a token lacking write:organization cannot create an organization', async () => {
    const r = await call(base, 'POST', '/api/v1/orgs', {
      auth: auths.scopeless,
      json: { username: uniqueName('o') },
    });
    expect(r.status).toBe(403);
    expect((await call(base, 'POST', '/api/v1/orgs', { json: { username: uniqueName('o') } })).status).toBe(
      401,
    );
  });
});

// GET the repository (read), PUT its topics (write), PATCH it (admin): statuses per cell.
type Cell = { read: number; write: number; admin: number };
const ALL: Cell = { read: 200, write: 204, admin: 200 };
const WRITE: Cell = { read: 200, write: 204, admin: 403 };
const READ: Cell = { read: 200, write: 403, admin: 403 };
const ANON_READ: Cell = { read: 200, write: 401, admin: 401 };
const HIDDEN: Cell = { read: 404, write: 404, admin: 404 };

const REPO_MATRIX: Record<Vis, Record<Vis, Record<Who, Cell>>> = {
  public: {
    public: {
      anonymous: ANON_READ,
      stranger: READ,
      member: READ,
      reader: READ,
      writer: WRITE,
      admin: ALL,
      owner: ALL,
      scopeless: READ,
    },
    private: {
      anonymous: HIDDEN,
      stranger: HIDDEN,
      member: HIDDEN,
      reader: READ,
      writer: WRITE,
      admin: ALL,
      owner: ALL,
      scopeless: HIDDEN,
    },
  },
  private: {
    public: {
      anonymous: HIDDEN,
      stranger: HIDDEN,
      member: READ,
      reader: READ,
      writer: WRITE,
      admin: ALL,
      owner: ALL,
      scopeless: HIDDEN,
    },
    private: {
      anonymous: HIDDEN,
      stranger: HIDDEN,
      member: HIDDEN,
      reader: READ,
      writer: WRITE,
      admin: ALL,
      owner: ALL,
      scopeless: HIDDEN,
    },
  },
};

describe('repository permission matrix through the API', () => {
  for (const orgVis of ['public', 'private'] as const) {
    for (const repoVis of ['public', 'private'] as const) {
      test.each(Object.keys(REPO_MATRIX[orgVis][repoVis]) as Who[])(
        `${orgVis} organization, ${repoVis} repository: %s`,
        async (who) => {
          const path = `/api/v1/repos/${repos[orgVis][repoVis]}`;
          const auth = auths[who];
          const read = await call(base, 'GET', path, { auth });
          if (read.status === 200) expect(read.body).toMatchObject({ full_name: repos[orgVis][repoVis] });
          const write = await call(base, 'PUT', `${path}/topics`, { auth, json: { topics: [`t-${who}`] } });
          const admin = await call(base, 'PATCH', path, { auth, json: { description: `by ${who}` } });
          for (const r of [read, write, admin])
            if (r.status >= 400) expect(r.body).toEqual({ message: expect.any(String) });
          expect({ read: read.status, write: write.status, admin: admin.status }).toEqual(
            REPO_MATRIX[orgVis][repoVis][who],
          );
        },
      );
    }
  }
});

// GET the organization, list its teams, PATCH it, create a team: statuses per cell.
type OrgCell = [get: number, teams: number, patch: number, createTeam: number];
const ORG_MATRIX: Record<Vis, Record<Who, OrgCell>> = {
  public: {
    anonymous: [200, 401, 401, 401],
    stranger: [200, 403, 403, 403],
    member: [200, 200, 403, 403],
    reader: [200, 200, 403, 403],
    writer: [200, 200, 403, 403],
    admin: [200, 200, 403, 403],
    owner: [200, 200, 200, 201],
    scopeless: [200, 403, 403, 403],
  },
  private: {
    anonymous: [404, 404, 401, 401],
    stranger: [404, 404, 404, 404],
    member: [200, 200, 403, 403],
    reader: [200, 200, 403, 403],
    writer: [200, 200, 403, 403],
    admin: [200, 200, 403, 403],
    owner: [200, 200, 200, 201],
    scopeless: [404, 404, 403, 403],
  },
};

describe('organization endpoints matrix', () => {
  for (const vis of ['public', 'private'] as const) {
    test.each(Object.keys(ORG_MATRIX[vis]) as Who[])(`${vis} organization: %s`, async (who) => {
      const auth = auths[who];
      const org = orgs[vis];
      const get = await call(base, 'GET', `/api/v1/orgs/${org}`, { auth });
      if (get.status === 200) expect(get.body).toMatchObject({ name: org, visibility: vis });
      const teams = await call<{ name: string }[]>(base, 'GET', `/api/v1/orgs/${org}/teams`, { auth });
      if (teams.status === 200) expect(teams.body.map((t) => t.name)).toContain('Owners');
      const patch = await call(base, 'PATCH', `/api/v1/orgs/${org}`, {
        auth,
        json: { description: `by ${who}` },
      });
      const create = await call(base, 'POST', `/api/v1/orgs/${org}/teams`, {
        auth,
        json: { name: uniqueName(`t-${who}`), permission: 'read' },
      });
      for (const r of [get, teams, patch, create])
        if (r.status >= 400) expect(r.body).toEqual({ message: expect.any(String) });
      expect([get.status, teams.status, patch.status, create.status]).toEqual(ORG_MATRIX[vis][who]);
    });
  }
});

describe('git per team', () => {
  const gitStatus = async (who: Who, orgVis: Vis, repoVis: Vis, service: 'upload' | 'receive') => {
    const headers: Record<string, string> = {};
    const person = who === 'anonymous' || who === 'scopeless' ? null : users[who];
    if (person)
      headers.Authorization = `Basic ${Buffer.from(`${person.username}:${person.token}`).toString('base64')}`;
    const r = await fetch(`${base}/${repos[orgVis][repoVis]}.git/info/refs?service=git-${service}-pack`, {
      headers,
    });
    await r.arrayBuffer();
    return r.status;
  };

  test('fetch and push statuses on a private organization: read team 403 on push, strangers 404', async () => {
    const got: Record<string, [number, number]> = {};
    for (const who of ['anonymous', 'stranger', 'member', 'reader', 'writer', 'admin', 'owner'] as const) {
      got[who] = [
        await gitStatus(who, 'private', 'private', 'upload'),
        await gitStatus(who, 'private', 'private', 'receive'),
      ];
    }
    expect(got).toEqual({
      anonymous: [401, 401],
      stranger: [404, 404],
      member: [404, 404],
      reader: [200, 403],
      writer: [200, 200],
      admin: [200, 200],
      owner: [200, 200],
    });
    // A public repository of a private organization is hidden from strangers too, not from members.
    expect(await gitStatus('stranger', 'private', 'public', 'upload')).toBe(404);
    expect(await gitStatus('member', 'private', 'public', 'upload')).toBe(200);
    expect(await gitStatus('stranger', 'public', 'public', 'upload')).toBe(200);
  });

  test('real git: the write team pushes, the read team clones but its push is refused', async () => {
    const [org, name] = repos.private.private.split('/');
    const clone = dirs.make();
    const r = await gitAsync(clone, ['clone', '-q', authUrl(base, users.reader, org, name), 'c']);
    expect(r.code, r.stderr).toBe(0);
    const work = join(clone, 'c');
    writeFileSync(join(work, 'reader.txt'), 'reader\n');
    git(work, ['add', '.']);
    git(work, ['commit', '-q', '-m', 'by reader']);
    const refused = await gitAsync(work, [
      'push',
      '-q',
      authUrl(base, users.reader, org, name),
      'HEAD:refs/heads/reader',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403/);
    const pushed = await gitAsync(work, [
      'push',
      '-q',
      authUrl(base, users.writer, org, name),
      'HEAD:refs/heads/writer',
    ]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const stranger = await gitAsync(clone, ['clone', '-q', authUrl(base, users.stranger, org, name), 's']);
    expect(stranger.code).not.toBe(0);
    expect(stranger.stderr).toMatch(/not found|404/i);
    const branches = await call<{ name: string }[]>(
      base,
      'GET',
      `/api/v1/repos/${repos.private.private}/branches`,
      {
        auth: auths.owner,
      },
    );
    expect(branches.body.map((b) => b.name).sort()).toEqual(['main', 'writer']);
  });

  test('a write team member merges a pull request; a read team member may not', async () => {
    const [org, name] = repos.public.private.split('/');
    const clone = dirs.make();
    expect((await gitAsync(clone, ['clone', '-q', authUrl(base, users.writer, org, name), 'c'])).code).toBe(
      0,
    );
    const work = join(clone, 'c');
    writeFileSync(join(work, 'feature.txt'), 'feature\n');
    git(work, ['add', '.']);
    git(work, ['commit', '-q', '-m', 'feature']);
    const push = await gitAsync(work, ['push', '-q', 'origin', 'HEAD:refs/heads/feature']);
    expect(push.code, push.stderr).toBe(0);
    const pr = await ok(
      call(base, 'POST', `/api/v1/repos/${repos.public.private}/pulls`, {
        auth: auths.writer,
        json: { head: 'feature', base: 'main', title: 'feature' },
      }),
      201,
    );
    const n = (pr.body as { number: number }).number;
    const byReader = await call(base, 'POST', `/api/v1/repos/${repos.public.private}/pulls/${n}/merge`, {
      auth: auths.reader,
      json: { Do: 'merge' },
    });
    expect(byReader.status).toBe(403);
    await ok(
      call(base, 'POST', `/api/v1/repos/${repos.public.private}/pulls/${n}/merge`, {
        auth: auths.writer,
        json: { Do: 'merge' },
      }),
      200,
    );
    const merged = await call(base, 'GET', `/api/v1/repos/${repos.public.private}/pulls/${n}`, {
      auth: auths.reader,
    });
    expect(merged.body).toMatchObject({ merged: true });
  });
});

describe('teams and owners', () => {
  test('the Owners team is never empty nor deleted; team names are unique; bad input is refused', async () => {
    const org = orgs.public;
    const owners = teamIds.public.owners;
    const last = await call(base, 'DELETE', `/api/v1/teams/${owners}/members/${users.owner.username}`, {
      auth: auths.owner,
    });
    expect([last.status, last.body]).toEqual([422, { message: expect.stringContaining('last') }]);
    expect((await call(base, 'DELETE', `/api/v1/teams/${owners}`, { auth: auths.owner })).status).toBe(422);
    expect(
      (
        await call(base, 'PATCH', `/api/v1/teams/${owners}`, {
          auth: auths.owner,
          json: { permission: 'read' },
        })
      ).status,
    ).toBe(422);
    const dup = await call(base, 'POST', `/api/v1/orgs/${org}/teams`, {
      auth: auths.owner,
      json: { name: 'READERS' },
    });
    expect([dup.status, dup.body]).toEqual([409, { message: expect.stringContaining('already') }]);
    for (const json of [
      { name: 'x', permission: 'owner' },
      { name: 'a b' },
      {},
      { name: 'y', permission: 'root' },
    ])
      expect(
        (await call(base, 'POST', `/api/v1/orgs/${org}/teams`, { auth: auths.owner, json })).status,
      ).toBe(422);
    // An organization cannot be a member; an unknown user is 404.
    expect(
      (
        await call(base, 'PUT', `/api/v1/teams/${teamIds.public.readers}/members/${orgs.private}`, {
          auth: auths.owner,
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call(base, 'PUT', `/api/v1/teams/${teamIds.public.readers}/members/${uniqueName('nobody')}`, {
          auth: auths.owner,
        })
      ).status,
    ).toBe(404);
    // Another organization's repository cannot join the team.
    expect(
      (
        await call(base, 'PUT', `/api/v1/teams/${teamIds.public.readers}/repos/${repos.private.public}`, {
          auth: auths.owner,
        })
      ).status,
    ).toBe(404);
    // With a second owner, the first may leave; the second then cannot.
    const org2 = uniqueName('org-owners');
    await ok(call(base, 'POST', '/api/v1/orgs', { auth: auths.stranger, json: { username: org2 } }), 201);
    const t = await call<{ id: number; name: string }[]>(base, 'GET', `/api/v1/orgs/${org2}/teams`, {
      auth: auths.stranger,
    });
    const id = t.body[0].id;
    await ok(
      call(base, 'PUT', `/api/v1/teams/${id}/members/${users.member.username}`, { auth: auths.stranger }),
      204,
    );
    await ok(
      call(base, 'DELETE', `/api/v1/teams/${id}/members/${users.stranger.username}`, {
        auth: auths.stranger,
      }),
      204,
    );
    expect((await call(base, 'GET', `/api/v1/orgs/${org2}/teams`, { auth: auths.stranger })).status).toBe(
      403,
    );
    expect(
      (
        await call(base, 'DELETE', `/api/v1/teams/${id}/members/${users.member.username}`, {
          auth: auths.member,
        })
      ).status,
    ).toBe(422);
    const members = await call<{ login: string }[]>(base, 'GET', `/api/v1/teams/${id}/members`, {
      auth: auths.member,
    });
    expect(members.body.map((m) => m.login)).toEqual([users.member.username]);
  });

  test('leaving a team takes its access away at once', async () => {
    const id = teamIds.private.readers;
    const path = `/api/v1/repos/${repos.private.private}`;
    const u = await createUser(base, 'org-leaver');
    expect((await call(base, 'GET', path, { auth: asToken(u.token) })).status).toBe(404);
    await ok(call(base, 'PUT', `/api/v1/teams/${id}/members/${u.username}`, { auth: auths.owner }), 204);
    expect((await call(base, 'GET', path, { auth: asToken(u.token) })).status).toBe(200);
    await ok(call(base, 'DELETE', `/api/v1/teams/${id}/members/${u.username}`, { auth: auths.owner }), 204);
    expect((await call(base, 'GET', path, { auth: asToken(u.token) })).status).toBe(404);
  });

  test('an organization with repositories is not deleted; an empty one is, freeing its name', async () => {
    const r = await call(base, 'DELETE', `/api/v1/orgs/${orgs.public}`, { auth: auths.owner });
    expect([r.status, r.body]).toEqual([409, { message: expect.stringContaining('repositories') }]);
    expect((await call(base, 'GET', `/api/v1/orgs/${orgs.public}`)).status).toBe(200);
    expect((await call(base, 'DELETE', `/api/v1/orgs/${orgs.public}`, { auth: auths.admin })).status).toBe(
      403,
    );
    const name = uniqueName('org-gone');
    await ok(call(base, 'POST', '/api/v1/orgs', { auth: auths.owner, json: { username: name } }), 201);
    await ok(call(base, 'DELETE', `/api/v1/orgs/${name}`, { auth: auths.owner }), 204);
    expect((await call(base, 'GET', `/api/v1/orgs/${name}`)).status).toBe(404);
    expect(
      (await call(base, 'POST', '/api/v1/orgs', { auth: auths.owner, json: { username: name } })).status,
    ).toBe(201);
  });
});

describe('lists and visibility', () => {
  test('membership lists show a private organization only to those who may see it', async () => {
    const mine = await call<{ name: string }[]>(base, 'GET', '/api/v1/user/orgs', { auth: auths.reader });
    expect(mine.body.map((o) => o.name).sort()).toEqual([orgs.public, orgs.private].sort());
    const seen = await call<{ name: string }[]>(base, 'GET', `/api/v1/users/${users.reader.username}/orgs`, {
      auth: auths.stranger,
    });
    expect(seen.body.map((o) => o.name)).toEqual([orgs.public]);
    expect((await call(base, 'GET', `/api/v1/users/${orgs.private}`, { auth: auths.stranger })).status).toBe(
      404,
    );
    expect((await call(base, 'GET', `/api/v1/users/${orgs.private}`, { auth: auths.member })).status).toBe(
      200,
    );
    expect(
      (await call(base, 'GET', `/api/v1/orgs/${orgs.private}/repos`, { auth: auths.stranger })).status,
    ).toBe(404);
    const strangerRepos = await call<unknown[]>(base, 'GET', `/api/v1/users/${orgs.private}/repos`, {
      auth: auths.stranger,
    });
    expect(strangerRepos.body).toEqual([]);
    const memberRepos = await call<{ full_name: string }[]>(
      base,
      'GET',
      `/api/v1/orgs/${orgs.private}/repos`,
      {
        auth: auths.member,
      },
    );
    expect(memberRepos.body.map((r) => r.full_name)).toEqual([repos.private.public]);
    const readerRepos = await call<{ full_name: string; permissions: { push: boolean } }[]>(
      base,
      'GET',
      `/api/v1/orgs/${orgs.private}/repos`,
      { auth: auths.writer },
    );
    expect(readerRepos.body.map((r) => [r.full_name, r.permissions.push])).toEqual([
      [repos.private.private, true],
      [repos.private.public, true],
    ]);
    const search = await call<{ data: { full_name: string }[] }>(
      base,
      'GET',
      `/api/v1/repos/search?q=r-p&limit=50`,
      {
        auth: auths.stranger,
      },
    );
    const found = search.body.data.map((r) => r.full_name);
    expect(found).not.toContain(repos.private.public);
    const userRepos = await call<{ full_name: string }[]>(base, 'GET', '/api/v1/user/repos', {
      auth: auths.reader,
    });
    expect(userRepos.body.map((r) => r.full_name)).toEqual(
      expect.arrayContaining([repos.private.private, repos.public.private]),
    );
  });

  test('pages, raw files and archives of a private organization are 404 to strangers', async () => {
    const paths = [
      `/${orgs.private}`,
      `/${repos.private.private}`,
      `/${repos.private.public}`,
      `/${repos.private.private}/raw/main/README`,
      `/${repos.private.private}/archive/main.zip`,
    ];
    for (const p of paths) {
      const stranger = await fetch(`${base}${p}`, { headers: { Cookie: users.stranger.cookie } });
      await stranger.arrayBuffer();
      expect(stranger.status, `stranger ${p}`).toBe(404);
      const reader = await fetch(`${base}${p}`, { headers: { Cookie: users.reader.cookie } });
      const text = await reader.text();
      expect(reader.status, `reader ${p}`).toBe(200);
      if (p.endsWith('README')) expect(text).toBe('hello\n');
    }
    const page = await (await fetch(`${base}/${orgs.public}`)).text();
    expect(page).toContain('r-public');
    expect(page).not.toContain('r-private');
  });
});
