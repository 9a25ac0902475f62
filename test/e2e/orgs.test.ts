// Organizations and teams end to end: one namespace with usernames, the Owners team's rules,
// membership lists, and what a private organization hides from strangers (API, pages, raw files,
// archives). The permission matrices are in orgs-matrix.test.ts.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { asCookie, asToken, call, createUser, uniqueName } from '../helpers/accounts';
import { TempDirs } from '../helpers/git';
import { auths, ok, orgs, repos, setUpOrgWorld, teamIds, users } from '../helpers/orgs';

const base = inject('baseUrl');
const origin = { Origin: base };
const dirs = new TempDirs();

beforeAll(() => setUpOrgWorld(base, dirs));
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
