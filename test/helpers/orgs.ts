// A world of organizations for the end-to-end tests: a public and a private organization made
// through the API, each with a public and a private repository (one commit pushed), the Owners
// team and teams of each permission (readers and admins listing both repositories, writers
// including all, "nothing" listing none), and one person per role. Each test file builds its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
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
} from './accounts';
import { git, type TempDirs } from './git';
import { gitAsync } from './node-git-server';

export type Vis = 'public' | 'private';
export type Who = 'anonymous' | 'stranger' | 'member' | 'reader' | 'writer' | 'admin' | 'owner' | 'scopeless';
export const PEOPLE = ['stranger', 'member', 'reader', 'writer', 'admin', 'owner'] as const;
export type Person = (typeof PEOPLE)[number];
export type TeamKey = 'owners' | 'readers' | 'writers' | 'admins' | 'nothing';

export const users = {} as Record<Person, GitUser>;
/** How each caller authenticates; `scopeless` is the owner's token lacking the repository and
 * organization scopes, `admin` acts by session. */
export const auths = {} as Record<Who, Auth>;
export const orgs = {} as Record<Vis, string>;
/** `${org}/${repo}` per organization and repository visibility. */
export const repos = {} as Record<Vis, Record<Vis, string>>;
export const teamIds = {} as Record<Vis, Record<TeamKey, number>>;

export const ok = async (p: Promise<{ status: number; body: unknown }>, status: number) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r;
};

/** Builds the world; `dirs` holds the local repository pushed from. */
export async function setUpOrgWorld(base: string, dirs: TempDirs): Promise<void> {
  let src: string;
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
}
