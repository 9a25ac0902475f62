// Gitea's shapes, as the clients people run (Renovate, tea, SDKs) read them: the repository,
// user and branch objects carry Gitea's fields with Gitea's types; the merge-style settings are
// edited with PATCH and honoured by the merge endpoint (405 for a disallowed style, as Gitea);
// the issue and pull-request switches and archiving refuse writes; lists page with Link and
// X-Total-Count; the settings endpoints clients probe answer. Then who may call what.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  asToken,
  authUrl,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { gitTry } from '../helpers/git';
import { ScenarioRepo } from '../helpers/merge-repo';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
let owner: GitUser;
let reader: GitUser;
let writer: GitUser;
let stranger: GitUser;
let issueOnlyToken: string;
let local: ScenarioRepo;
const PUB = 'fidelity-pub';
const PRIV = 'fidelity-priv';

// biome-ignore lint/suspicious/noExplicitAny: API answers of several shapes, checked field by field
type Json = any;

const repoPath = (repo: string) => `/api/v1/repos/${owner.username}/${repo}`;
const as = (u: GitUser | null) => (u ? asToken(u.token) : null);

async function v1(u: GitUser | null, method: string, path: string, json?: unknown) {
  return call<Json>(base, method, path, { auth: as(u), json });
}

beforeAll(async () => {
  [owner, reader, writer, stranger] = await Promise.all([
    createUser(base, 'fid-owner'),
    createUser(base, 'fid-reader'),
    createUser(base, 'fid-writer'),
    createUser(base, 'fid-stranger'),
  ]);
  issueOnlyToken = (await createToken(base, owner, { scopes: ['read:issue'] })).sha1;
  local = new ScenarioRepo();
  local.commit('base', { 'package.json': '{"name":"x"}\n' });
  for (const b of ['feature', 'other']) {
    local.checkout(b, true);
    local.commit(`on ${b}`, { [`${b}.txt`]: `${b}\n` });
    local.checkout('main');
  }
  for (const repo of [PUB, PRIV]) {
    await createRepo(base, owner, repo, { private: repo === PRIV });
    for (const [who, permission] of [
      [reader, 'read'],
      [writer, 'write'],
    ] as const) {
      const r = await v1(owner, 'PUT', `${repoPath(repo)}/collaborators/${who.username}`, { permission });
      expect(r.status).toBe(204);
    }
    const push = gitTry(local.dir, [
      'push',
      '-q',
      authUrl(base, owner, owner.username, repo),
      'refs/heads/*:refs/heads/*',
    ]);
    expect(push.code, push.stderr).toBe(0);
  }
}, 180_000);

afterAll(() => local?.remove());

/** Gitea's Repository object: every field, with its JSON type ('null' where Gitea answers null). */
const REPOSITORY_FIELDS: Record<string, string> = {
  id: 'number',
  owner: 'object',
  name: 'string',
  full_name: 'string',
  description: 'string',
  empty: 'boolean',
  private: 'boolean',
  fork: 'boolean',
  template: 'boolean',
  parent: 'null',
  mirror: 'boolean',
  size: 'number',
  language: 'string',
  languages_url: 'string',
  html_url: 'string',
  url: 'string',
  link: 'string',
  ssh_url: 'string',
  clone_url: 'string',
  original_url: 'string',
  website: 'string',
  stars_count: 'number',
  forks_count: 'number',
  watchers_count: 'number',
  open_issues_count: 'number',
  open_pr_counter: 'number',
  release_counter: 'number',
  default_branch: 'string',
  archived: 'boolean',
  created_at: 'string',
  updated_at: 'string',
  archived_at: 'string',
  permissions: 'object',
  has_issues: 'boolean',
  internal_tracker: 'object',
  has_wiki: 'boolean',
  has_pull_requests: 'boolean',
  has_projects: 'boolean',
  has_releases: 'boolean',
  has_packages: 'boolean',
  has_actions: 'boolean',
  ignore_whitespace_conflicts: 'boolean',
  allow_merge_commits: 'boolean',
  allow_rebase: 'boolean',
  allow_rebase_explicit: 'boolean',
  allow_squash_merge: 'boolean',
  allow_fast_forward_only_merge: 'boolean',
  allow_rebase_update: 'boolean',
  default_delete_branch_after_merge: 'boolean',
  default_merge_style: 'string',
  default_allow_maintainer_edit: 'boolean',
  avatar_url: 'string',
  internal: 'boolean',
  mirror_interval: 'string',
  object_format_name: 'string',
  mirror_updated: 'string',
  topics: 'array',
  licenses: 'array',
};

/** Gitea's User object. */
const USER_FIELDS: Record<string, string> = {
  id: 'number',
  login: 'string',
  login_name: 'string',
  source_id: 'number',
  full_name: 'string',
  email: 'string',
  avatar_url: 'string',
  html_url: 'string',
  language: 'string',
  is_admin: 'boolean',
  last_login: 'string',
  created: 'string',
  restricted: 'boolean',
  active: 'boolean',
  prohibit_login: 'boolean',
  location: 'string',
  website: 'string',
  description: 'string',
  visibility: 'string',
  followers_count: 'number',
  following_count: 'number',
  starred_repos_count: 'number',
  username: 'string',
};

const BRANCH_FIELDS: Record<string, string> = {
  name: 'string',
  commit: 'object',
  protected: 'boolean',
  required_approvals: 'number',
  enable_status_check: 'boolean',
  status_check_contexts: 'array',
  user_can_push: 'boolean',
  user_can_merge: 'boolean',
  effective_branch_protection_name: 'string',
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Field -> type of an answer, restricted to the fields `shape` names (missing ones: 'undefined'). */
function shapeOf(o: Json, shape: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(shape).map((k) => [k, typeOf(o?.[k])]));
}

describe('Gitea shapes', () => {
  test('repository JSON carries every Gitea field with its type and meaning', async () => {
    const r = await v1(owner, 'GET', repoPath(PUB));
    expect(r.status).toBe(200);
    expect(shapeOf(r.body, REPOSITORY_FIELDS)).toEqual(REPOSITORY_FIELDS);
    expect(shapeOf(r.body.owner, USER_FIELDS)).toEqual(USER_FIELDS);
    expect(r.body).toMatchObject({
      full_name: `${owner.username}/${PUB}`,
      url: `${base}${repoPath(PUB)}`,
      archived: false,
      mirror: false,
      fork: false,
      has_issues: true,
      has_pull_requests: true,
      allow_merge_commits: true,
      allow_rebase: true,
      allow_squash_merge: true,
      allow_fast_forward_only_merge: true,
      default_merge_style: 'merge',
      permissions: { admin: true, push: true, pull: true },
    });
    const seen = await v1(reader, 'GET', repoPath(PUB));
    expect(seen.body.permissions).toEqual({ admin: false, push: false, pull: true });
    // Lists answer the same object.
    const list = await v1(owner, 'GET', `/api/v1/users/${owner.username}/repos`);
    const listed = list.body.find((x: Json) => x.name === PUB);
    expect(shapeOf(listed, REPOSITORY_FIELDS)).toEqual(REPOSITORY_FIELDS);
  });

  test('user JSON carries every Gitea field; the email only to its owner', async () => {
    const me = await v1(owner, 'GET', '/api/v1/user');
    expect(shapeOf(me.body, USER_FIELDS)).toEqual(USER_FIELDS);
    expect(me.body.email).toContain('@');
    expect(me.body.html_url).toBe(`${base}/${owner.username}`);
    const other = await v1(stranger, 'GET', `/api/v1/users/${owner.username}`);
    expect(shapeOf(other.body, USER_FIELDS)).toEqual(USER_FIELDS);
    expect(other.body.email).toBe('');
  });

  test('branch JSON: commit, protection fields, what the caller may do', async () => {
    const mine = await v1(owner, 'GET', `${repoPath(PUB)}/branches/feature`);
    expect(mine.status).toBe(200);
    expect(shapeOf(mine.body, BRANCH_FIELDS)).toEqual(BRANCH_FIELDS);
    expect(mine.body).toMatchObject({
      name: 'feature',
      protected: false,
      user_can_push: true,
      commit: { message: expect.stringContaining('on feature'), verification: { verified: false } },
    });
    expect(mine.body.commit.id).toMatch(/^[0-9a-f]{40}$/);
    const theirs = await v1(reader, 'GET', `${repoPath(PUB)}/branches/feature`);
    expect(theirs.body.user_can_push).toBe(false);
    expect((await v1(owner, 'GET', `${repoPath(PUB)}/branches/nope`)).status).toBe(404);
  });

  test('branches page with X-Total-Count and Link', async () => {
    const first = await v1(owner, 'GET', `${repoPath(PUB)}/branches?limit=1`);
    expect(first.body).toHaveLength(1);
    expect(first.headers.get('x-total-count')).toBe('3');
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('rel="last"');
    const names = [first.body[0].name];
    let next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    let last: Json = first;
    // Following Link's next visits every branch once, then stops.
    for (let guard = 0; next && guard < 5; guard++) {
      const u = new URL(next);
      last = await call<Json>(base, 'GET', u.pathname + u.search, { auth: as(owner) });
      names.push(...last.body.map((b: Json) => b.name));
      next = /<([^>]+)>; rel="next"/.exec(last.headers.get('link') ?? '')?.[1];
    }
    expect(names.sort()).toEqual(['feature', 'main', 'other']);
    expect(last.headers.get('link')).toContain('rel="prev"');
  });

  test('settings endpoints and the version clients probe', async () => {
    const api = await v1(null, 'GET', '/api/v1/settings/api');
    expect(api.body).toEqual({
      max_response_items: 50,
      default_paging_num: 30,
      default_git_trees_per_page: 1000,
      default_max_blob_size: expect.any(Number),
      default_max_response_size: expect.any(Number),
    });
    for (const part of ['ui', 'repository', 'attachment']) {
      expect((await v1(null, 'GET', `/api/v1/settings/${part}`)).status).toBe(200);
    }
    const version = await v1(null, 'GET', '/api/v1/version');
    // A semver Renovate compares against Gitea's feature versions.
    expect(version.body.version).toMatch(/^1\.\d+\.\d+(\+[0-9A-Za-z.-]+)?$/);
  });
});

describe('repository settings', () => {
  test('merge styles: PATCH edits them, the merge endpoint refuses a disallowed one with 405', async () => {
    const pr = await v1(owner, 'POST', `${repoPath(PUB)}/pulls`, {
      head: 'feature',
      base: 'main',
      title: 'f',
    });
    expect(pr.status).toBe(201);
    const patched = await v1(owner, 'PATCH', repoPath(PUB), {
      allow_merge_commits: false,
      allow_rebase: false,
      default_merge_style: 'squash',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      allow_merge_commits: false,
      allow_rebase: false,
      default_merge_style: 'squash',
    });
    expect((await v1(reader, 'GET', repoPath(PUB))).body.allow_merge_commits).toBe(false);
    const refused = await v1(owner, 'POST', `${repoPath(PUB)}/pulls/${pr.body.number}/merge`, {
      Do: 'merge',
    });
    expect(refused.status).toBe(405);
    expect(refused.body.message).toContain('merge');
    expect((await v1(owner, 'GET', `${repoPath(PUB)}/pulls/${pr.body.number}`)).body.merged).toBe(false);
    // Positive control: an allowed style merges.
    const merged = await v1(owner, 'POST', `${repoPath(PUB)}/pulls/${pr.body.number}/merge`, {
      Do: 'squash',
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.merged).toBe(true);
    // Bad values change nothing.
    expect((await v1(owner, 'PATCH', repoPath(PUB), { default_merge_style: 'octopus' })).status).toBe(422);
    expect((await v1(owner, 'PATCH', repoPath(PUB), { allow_squash_merge: 'yes' })).status).toBe(422);
    expect((await v1(owner, 'GET', repoPath(PUB))).body).toMatchObject({
      default_merge_style: 'squash',
      allow_squash_merge: true,
    });
    // Only admins edit them.
    expect((await v1(writer, 'PATCH', repoPath(PUB), { allow_rebase: true })).status).toBe(403);
    const restored = await v1(owner, 'PATCH', repoPath(PUB), {
      allow_merge_commits: true,
      allow_rebase: true,
    });
    expect(restored.body).toMatchObject({ allow_merge_commits: true, allow_rebase: true });
  });

  test('has_issues and has_pull_requests switch creation off (404, as Gitea)', async () => {
    await v1(owner, 'PATCH', repoPath(PRIV), { has_issues: false, has_pull_requests: false });
    const issue = await v1(owner, 'POST', `${repoPath(PRIV)}/issues`, { title: 'no' });
    expect(issue.status).toBe(404);
    expect(issue.body.message).toContain('disabled');
    const pull = await v1(owner, 'POST', `${repoPath(PRIV)}/pulls`, {
      head: 'other',
      base: 'main',
      title: 'no',
    });
    expect(pull.status).toBe(404);
    await v1(owner, 'PATCH', repoPath(PRIV), { has_issues: true, has_pull_requests: true });
    expect((await v1(owner, 'POST', `${repoPath(PRIV)}/issues`, { title: 'yes' })).status).toBe(201);
  });

  test('an archived repository refuses new issues and merges (423) until unarchived', async () => {
    const pr = await v1(owner, 'POST', `${repoPath(PRIV)}/pulls`, {
      head: 'other',
      base: 'main',
      title: 'o',
    });
    expect(pr.status).toBe(201);
    const archived = await v1(owner, 'PATCH', repoPath(PRIV), { archived: true });
    expect(archived.body.archived).toBe(true);
    expect(archived.body.archived_at).not.toBe('1970-01-01T00:00:00Z');
    expect((await v1(owner, 'POST', `${repoPath(PRIV)}/issues`, { title: 'no' })).status).toBe(423);
    const merge = await v1(owner, 'POST', `${repoPath(PRIV)}/pulls/${pr.body.number}/merge`, { Do: 'merge' });
    expect(merge.status).toBe(423);
    const back = await v1(owner, 'PATCH', repoPath(PRIV), { archived: false });
    expect(back.body).toMatchObject({ archived: false, archived_at: '1970-01-01T00:00:00Z' });
    expect((await v1(owner, 'POST', `${repoPath(PRIV)}/issues`, { title: 'yes' })).status).toBe(201);
  });
});

describe('pull requests as Renovate opens and finds them', () => {
  test('created with label ids; listed by state, head and base', async () => {
    const label = await v1(owner, 'POST', `${repoPath(PRIV)}/labels`, {
      name: 'dependencies',
      color: '#00ff00',
    });
    expect(label.status).toBe(201);
    local.checkout('renovate/x', true);
    local.commit('bump', { 'package.json': '{"name":"x","v":2}\n' });
    local.checkout('main');
    const push = gitTry(local.dir, ['push', '-q', authUrl(base, owner, owner.username, PRIV), 'renovate/x']);
    expect(push.code, push.stderr).toBe(0);
    const pr = await v1(owner, 'POST', `${repoPath(PRIV)}/pulls`, {
      head: 'renovate/x',
      base: 'main',
      title: 'Update x',
      labels: [label.body.id],
    });
    expect(pr.status).toBe(201);
    expect(pr.body.labels.map((l: Json) => l.name)).toEqual(['dependencies']);
    const byHead = await v1(owner, 'GET', `${repoPath(PRIV)}/pulls?state=all&head=renovate/x`);
    expect(byHead.body.map((p: Json) => p.number)).toEqual([pr.body.number]);
    const byBase = await v1(owner, 'GET', `${repoPath(PRIV)}/pulls?state=open&base_branch=nope`);
    expect(byBase.body).toEqual([]);
    expect(byBase.headers.get('x-total-count')).toBe('0');
    const all = await v1(owner, 'GET', `${repoPath(PRIV)}/pulls?state=all&sort=recentupdate&limit=1`);
    expect(all.body).toHaveLength(1);
    expect(Number(all.headers.get('x-total-count'))).toBeGreaterThan(1);
    expect(all.headers.get('link')).toContain('rel="next"');
  });
});

describe('credentials as Renovate sends them', () => {
  test('a token as the user name with an empty password: API and git push', async () => {
    const basic = (u: string, p: string) => ({ authorization: `Basic ${btoa(`${u}:${p}`)}` });
    const me = await call<Json>(base, 'GET', '/api/v1/user', { auth: basic(owner.token, '') });
    expect(me.status).toBe(200);
    expect(me.body.login).toBe(owner.username);
    const oauth = await call<Json>(base, 'GET', '/api/v1/user', {
      auth: basic(owner.token, 'x-oauth-basic'),
    });
    expect(oauth.body.login).toBe(owner.username);
    // Negative control: a wrong token in that place is refused.
    expect((await call(base, 'GET', '/api/v1/user', { auth: basic('0'.repeat(40), '') })).status).toBe(401);
    // Renovate's push URL: http://TOKEN@host/owner/repo.git, no password, no prompt.
    local.checkout('token-user', true);
    local.commit('pushed by token user', { 'tu.txt': 'tu\n' });
    local.checkout('main');
    const u = new URL(`${base}/${owner.username}/${PRIV}.git`);
    u.username = owner.token;
    const push = gitTry(local.dir, ['-c', 'core.askPass=false', 'push', '-q', u.toString(), 'token-user']);
    expect(push.code, push.stderr).toBe(0);
    const branch = await v1(owner, 'GET', `${repoPath(PRIV)}/branches/token-user`);
    expect(branch.body.commit.message).toContain('pushed by token user');
  });
});

type Who = 'anonymous' | 'stranger' | 'reader' | 'writer' | 'owner' | 'no-scope token';
const WHO: Who[] = ['anonymous', 'stranger', 'reader', 'writer', 'owner', 'no-scope token'];

function auth(who: Who) {
  switch (who) {
    case 'anonymous':
      return null;
    case 'stranger':
      return asToken(stranger.token);
    case 'reader':
      return asToken(reader.token);
    case 'writer':
      return asToken(writer.token);
    case 'owner':
      return asToken(owner.token);
    case 'no-scope token':
      return asToken(issueOnlyToken);
  }
}

interface Row {
  what: string;
  method: string;
  path: (repo: string) => string;
  json?: unknown;
  /** Expected status per caller, public repository then private. */
  pub: Record<Who, number>;
  priv: Record<Who, number>;
}

const all = (n: number): Record<Who, number> =>
  Object.fromEntries(WHO.map((w) => [w, n])) as Record<Who, number>;
const READ = {
  pub: all(200),
  priv: { anonymous: 404, stranger: 404, reader: 200, writer: 200, owner: 200, 'no-scope token': 404 },
};

const ROWS: Row[] = [
  { what: 'repository', method: 'GET', path: (r) => repoPath(r), ...READ },
  { what: 'branch', method: 'GET', path: (r) => `${repoPath(r)}/branches/main`, ...READ },
  { what: 'branches', method: 'GET', path: (r) => `${repoPath(r)}/branches?limit=1`, ...READ },
  { what: 'pulls by head', method: 'GET', path: (r) => `${repoPath(r)}/pulls?head=feature`, ...READ },
  {
    what: 'merge settings',
    method: 'PATCH',
    path: (r) => repoPath(r),
    json: { default_merge_style: 'merge' },
    pub: { anonymous: 401, stranger: 403, reader: 403, writer: 403, owner: 200, 'no-scope token': 403 },
    priv: { anonymous: 404, stranger: 404, reader: 403, writer: 403, owner: 200, 'no-scope token': 404 },
  },
  { what: 'settings/api', method: 'GET', path: () => '/api/v1/settings/api', pub: all(200), priv: all(200) },
  { what: 'version', method: 'GET', path: () => '/api/v1/version', pub: all(200), priv: all(200) },
];

describe('authorization', () => {
  for (const row of ROWS) {
    for (const [visibility, repo] of [
      ['public', PUB],
      ['private', PRIV],
    ] as const) {
      test(`${row.what} (${row.method}) on a ${visibility} repository`, async () => {
        const expected = visibility === 'public' ? row.pub : row.priv;
        const got: Record<string, number> = {};
        for (const who of WHO) {
          const r = await call(base, row.method, row.path(repo), { auth: auth(who), json: row.json });
          got[who] = r.status;
        }
        expect(got).toEqual(expected);
      });
    }
  }
});
