// Organizations and teams end to end: one namespace with usernames, the Owners team's rules,
// membership lists, and what a private organization hides from strangers (API, pages, raw files,
// archives), organizations as the target of forks and migrations, and accounts that may not be
// deleted while they are an organization's last owner. The permission matrices are in
// orgs-matrix.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetch as upgradeFetch } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  asCookie,
  asPassword,
  asToken,
  call,
  createUser,
  type GitUser,
  uniqueName,
} from '../helpers/accounts';
import { git, TempDirs } from '../helpers/git';
import { type HttpBackend, startHttpBackend } from '../helpers/http-backend';
import { CLOSE_WAIT_MS, LOST, openLive, received, within } from '../helpers/live';
import { auths, ok, orgs, repos, setUpOrgWorld, teamIds, users } from '../helpers/orgs';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const origin = { Origin: base };
const dirs = new TempDirs();

let backend: HttpBackend;

beforeAll(async () => {
  await setUpOrgWorld(base, dirs);
  backend = await startHttpBackend();
});
afterAll(async () => {
  await backend?.close();
  dirs.removeAll();
});

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

describe('organizations as the owner of forks and migrations', () => {
  /** A fresh user in a new team of the public organization allowed to create repositories. */
  async function creator(): Promise<{ user: GitUser; teamId: number }> {
    const user = await createUser(base, 'org-creator');
    const team = await ok(
      call(base, 'POST', `/api/v1/orgs/${orgs.public}/teams`, {
        auth: auths.owner,
        json: { name: uniqueName('creators'), permission: 'write', can_create_org_repo: true },
      }),
      201,
    );
    const teamId = (team.body as { id: number }).id;
    await ok(
      call(base, 'PUT', `/api/v1/teams/${teamId}/members/${user.username}`, { auth: auths.owner }),
      204,
    );
    return { user, teamId };
  }

  const teamRepoNames = async (teamId: number) =>
    (
      (await ok(call(base, 'GET', `/api/v1/teams/${teamId}/repos`, { auth: auths.owner }), 200)).body as {
        name: string;
      }[]
    ).map((r) => r.name);

  const existsAs = async (owner: string, name: string) =>
    (await call(base, 'GET', `/api/v1/repos/${owner}/${name}`, { auth: auths.owner })).status;

  test('a fork goes into an organization where the caller may create repositories, else 403/422', async () => {
    const parent = repos.public.public;
    const fork = (
      auth: (typeof auths)[keyof typeof auths],
      organization: string,
      name: string,
      from = parent,
    ) => call(base, 'POST', `/api/v1/repos/${from}/forks`, { auth, json: { organization, name } });

    // An owner may have one fork of a repository: the owner's comes from another parent.
    const byOwner = await fork(auths.owner, orgs.public, 'f-owner', repos.private.public);
    expect(byOwner.status, JSON.stringify(byOwner.body)).toBe(202);
    expect(byOwner.body).toMatchObject({
      full_name: `${orgs.public}/f-owner`,
      owner: { login: orgs.public },
      fork: true,
      parent: { full_name: repos.private.public },
    });
    const { user, teamId } = await creator();
    const byCreator = await fork(asToken(user.token), orgs.public, 'f-creator');
    expect(byCreator.status, JSON.stringify(byCreator.body)).toBe(202);
    expect(byCreator.body).toMatchObject({ full_name: `${orgs.public}/f-creator` });
    // The creator's team holds the fork, so its member can push to it.
    expect(await teamRepoNames(teamId)).toContain('f-creator');
    const mine = await call(base, 'GET', `/api/v1/repos/${orgs.public}/f-creator`, {
      auth: asToken(user.token),
    });
    expect(mine.body).toMatchObject({ permissions: { push: true } });

    // A member whose teams may not create, a stranger, an organization hidden from the caller and
    // one that does not exist: refused, and nothing is created.
    const member = await fork(auths.member, orgs.public, 'f-member');
    expect([member.status, member.body]).toEqual([403, { message: expect.stringContaining(orgs.public) }]);
    expect((await fork(auths.stranger, orgs.public, 'f-stranger')).status).toBe(403);
    const hidden = await fork(auths.stranger, orgs.private, 'f-hidden');
    expect([hidden.status, hidden.body]).toEqual([
      422,
      { message: expect.stringContaining('no organization') },
    ]);
    expect((await fork(auths.stranger, uniqueName('nowhere'), 'f-nowhere')).status).toBe(422);
    // Another user's account is not an organization to fork into.
    expect((await fork(auths.stranger, users.reader.username, 'f-user')).status).toBe(422);
    for (const name of ['f-member', 'f-stranger']) expect(await existsAs(orgs.public, name)).toBe(404);
    expect(await existsAs(orgs.private, 'f-hidden')).toBe(404);
    // The caller's own account is still the default.
    const own = await call(base, 'POST', `/api/v1/repos/${parent}/forks`, { auth: auths.stranger, json: {} });
    expect(own.status).toBe(202);
    expect(own.body).toMatchObject({ owner: { login: users.stranger.username } });
  });

  test('a migration goes into an organization where the caller may create repositories, else 403/422', async () => {
    const src = dirs.make();
    git(src, ['init', '-q', '-b', 'main']);
    writeFileSync(join(src, 'f.txt'), 'migrated\n');
    git(src, ['add', 'f.txt']);
    git(src, ['commit', '-q', '-m', 'to migrate']);
    const name = uniqueName('orgsrc');
    const cloneAddr = backend.create(name);
    // Into the bare repository's folder: the backend serves from this process, which a
    // synchronous git over HTTP would block.
    git(src, ['push', '-q', join(backend.root, `${name}.git`), 'main']);
    const migrate = (auth: (typeof auths)[keyof typeof auths], owner: string, name: string) =>
      call(base, 'POST', '/api/v1/repos/migrate', {
        auth,
        json: { clone_addr: cloneAddr, repo_name: name, repo_owner: owner },
      });

    const byOwner = await migrate(auths.owner, orgs.private, 'm-owner');
    expect(byOwner.status, JSON.stringify(byOwner.body)).toBe(201);
    expect(byOwner.body).toMatchObject({
      full_name: `${orgs.private}/m-owner`,
      owner: { login: orgs.private },
    });
    const file = await call(base, 'GET', `/${orgs.private}/m-owner/raw/main/f.txt`, {
      auth: asCookie(users.owner),
    });
    expect([file.status, file.body]).toEqual([200, 'migrated\n']);
    const { user, teamId } = await creator();
    const byCreator = await migrate(asToken(user.token), orgs.public, 'm-creator');
    expect(byCreator.status, JSON.stringify(byCreator.body)).toBe(201);
    expect(await teamRepoNames(teamId)).toContain('m-creator');

    const member = await migrate(auths.member, orgs.public, 'm-member');
    expect([member.status, member.body]).toEqual([403, { message: expect.stringContaining(orgs.public) }]);
    expect((await migrate(auths.reader, orgs.private, 'm-reader')).status).toBe(403);
    expect((await migrate(auths.stranger, orgs.private, 'm-hidden')).status).toBe(422);
    // Another person's account: 403, as Gitea's migrate answers (a fork answers 422, above).
    expect((await migrate(auths.stranger, users.owner.username, 'm-user')).status).toBe(403);
    expect(await existsAs(orgs.public, 'm-member')).toBe(404);
    expect(await existsAs(orgs.private, 'm-reader')).toBe(404);
    expect(await existsAs(orgs.private, 'm-hidden')).toBe(404);
  });
});

describe('deleting an account', () => {
  const deleteAccount = (user: GitUser) =>
    call(base, 'POST', '/api/auth/delete-user', {
      auth: asCookie(user),
      headers: origin,
      json: { password: user.password },
    });

  test("the last owner's account is not deleted, naming the organization; with a second owner it is", async () => {
    const first = await createUser(base, 'org-last');
    const second = await createUser(base, 'org-next');
    const org = uniqueName('org-kept');
    await ok(
      call(base, 'POST', '/api/v1/orgs', { auth: asToken(first.token), json: { username: org } }),
      201,
    );
    const refused = await deleteAccount(first);
    expect(refused.status).toBe(409);
    expect((refused.body as { message: string }).message).toMatch(new RegExp(`last owner.*${org}`));
    // Nothing was removed: the account still signs in and still owns the organization.
    expect((await call(base, 'GET', '/api/v1/user', { auth: asPassword(first) })).status).toBe(200);
    const owners = (
      await ok(call(base, 'GET', `/api/v1/orgs/${org}/teams`, { auth: asToken(first.token) }), 200)
    ).body as { id: number }[];
    await ok(
      call(base, 'PUT', `/api/v1/teams/${owners[0].id}/members/${second.username}`, {
        auth: asToken(first.token),
      }),
      204,
    );
    // Positive control: with another owner, the account goes and the organization keeps its owner.
    await ok(deleteAccount(first), 200);
    expect((await call(base, 'GET', '/api/v1/user', { auth: asPassword(first) })).status).toBe(401);
    const members = await ok(
      call(base, 'GET', `/api/v1/orgs/${org}/members`, { auth: asToken(second.token) }),
      200,
    );
    expect((members.body as { login: string }[]).map((m) => m.login)).toEqual([second.username]);
  });

  test('an account that owns repositories is not deleted (their git data would be orphaned)', async () => {
    const user = await createUser(base, 'org-holder');
    await ok(
      call(base, 'POST', '/api/v1/user/repos', { auth: asToken(user.token), json: { name: 'kept' } }),
      201,
    );
    const refused = await deleteAccount(user);
    expect([refused.status, (refused.body as { message: string }).message]).toEqual([
      409,
      expect.stringContaining('owns 1 repository'),
    ]);
    expect((await call(base, 'GET', `/api/v1/repos/${user.username}/kept`)).status).toBe(200);
    await ok(call(base, 'DELETE', `/api/v1/repos/${user.username}/kept`, { auth: asToken(user.token) }), 204);
    await ok(deleteAccount(user), 200);
    expect((await call(base, 'GET', `/api/v1/users/${user.username}`)).status).toBe(404);
  });
});

describe('live updates of an organization repository', () => {
  test('a team member receives them; a non-member of the private organization is refused; leaving the team closes the socket', async () => {
    const repo = repos.private.private;
    const issue = await ok(
      call(base, 'POST', `/api/v1/repos/${repo}/issues`, {
        auth: auths.owner,
        json: { title: 'team plans' },
      }),
      201,
    );
    const number = (issue.body as { number: number }).number;
    const livePath = `/api/v1/repos/${repo}/issues/${number}/live`;
    const comment = async (body: string) =>
      ok(
        call(base, 'POST', `/api/v1/repos/${repo}/issues/${number}/comments`, {
          auth: auths.owner,
          json: { body },
        }),
        201,
      );

    const joiner = await createUser(base, 'org-live');
    const readers = teamIds.private.readers;
    await ok(
      call(base, 'PUT', `/api/v1/teams/${readers}/members/${joiner.username}`, { auth: auths.owner }),
      204,
    );
    const theirs = await openLive(base, livePath, asToken(joiner.token));
    const owners = await openLive(base, livePath, auths.owner);
    // Outsiders get no socket: the repository is not found for them.
    for (const auth of [auths.stranger, auths.anonymous, auths.scopeless]) {
      const refused = await upgradeFetch(`${base}${livePath}`, {
        headers: { upgrade: 'websocket', ...(auth ?? {}) },
      });
      expect(refused.status).toBe(404);
      expect(refused.webSocket).toBeFalsy();
    }
    await comment('first-team-note');
    await received(theirs, 'first-team-note');
    await received(owners, 'first-team-note');

    await ok(
      call(base, 'DELETE', `/api/v1/teams/${readers}/members/${joiner.username}`, { auth: auths.owner }),
      204,
    );
    expect(await within(theirs.ended, CLOSE_WAIT_MS, 'the former member’s socket closed')).toEqual(LOST);
    await comment('after-leaving');
    await received(owners, 'after-leaving');
    expect(theirs.messages.some((m) => m.includes('after-leaving'))).toBe(false);
  });
});
