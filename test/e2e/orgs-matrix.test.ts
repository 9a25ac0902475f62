// The permission matrices of organizations end to end: anonymous, a stranger, a member without
// access, read/write/admin team members, an owner and a token lacking the scopes, on public and
// private organizations and repositories, through the API and git (statuses and real git, a
// write member merging a pull request).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { asCookie, authUrl, call, uniqueName } from '../helpers/accounts';
import { git, TempDirs } from '../helpers/git';
import { gitAsync } from '../helpers/node-git-server';
import { auths, ok, orgs, repos, setUpOrgWorld, users, type Vis, type Who } from '../helpers/orgs';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const _origin = { Origin: base };
const dirs = new TempDirs();

beforeAll(() => setUpOrgWorld(base, dirs));
afterAll(() => dirs.removeAll());

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

// The organization's pages, by session: its home, its teams, a team's page (the writers') and its
// settings. 200 cells prove their content; 404 cells prove nothing of it leaked.
type PageKey = 'home' | 'teams' | 'team' | 'settings';
const PAGE_WHO = ['anonymous', 'stranger', 'member', 'reader', 'writer', 'admin', 'owner'] as const;
const SEEN = { home: 200, teams: 200, team: 200, settings: 404 };
const HIDDEN_PAGES = { home: 404, teams: 404, team: 404, settings: 404 };
const pageCells = (outsider: Record<PageKey, number>) => ({
  anonymous: outsider,
  stranger: outsider,
  member: SEEN,
  reader: SEEN,
  writer: SEEN,
  admin: SEEN,
  owner: { home: 200, teams: 200, team: 200, settings: 200 },
});
const PAGE_MATRIX: Record<Vis, Record<(typeof PAGE_WHO)[number], Record<PageKey, number>>> = {
  // Outsiders see a public organization's home, never its teams or settings.
  public: pageCells({ ...HIDDEN_PAGES, home: 200 }),
  private: pageCells(HIDDEN_PAGES),
};

describe('organization pages matrix', () => {
  for (const vis of ['public', 'private'] as const) {
    test.each([...PAGE_WHO])(`${vis} organization pages: %s`, async (who) => {
      const org = orgs[vis];
      const auth = who === 'anonymous' ? null : asCookie(users[who]);
      const paths: Record<PageKey, string> = {
        home: `/${org}`,
        teams: `/orgs/${org}/teams`,
        team: `/orgs/${org}/teams/writers`,
        settings: `/orgs/${org}/settings`,
      };
      // What each page shows only to those it is for.
      const proof: Record<PageKey, string> = {
        home: 'r-public',
        teams: 'admins',
        team: users.writer.username,
        settings: 'Danger zone',
      };
      const statuses = {} as Record<PageKey, number>;
      for (const key of Object.keys(paths) as PageKey[]) {
        const r = await call<string>(base, 'GET', paths[key], { auth });
        statuses[key] = r.status;
        if (r.status === 200) expect(r.body, key).toContain(proof[key]);
        else expect(r.body, key).not.toContain(proof[key]);
      }
      expect(statuses).toEqual(PAGE_MATRIX[vis][who]);
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
