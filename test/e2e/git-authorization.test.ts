/**
 * Who may do what over git, end to end (CONTRACT.md "Git over HTTP"): public and private
 * repositories × anonymous, a stranger, a collaborator with read, one with write, a token scoped
 * `read:repository`, and an account with two-factor authentication using its password ×
 * ls-remote, clone and push. Each cell is checked twice: the exact status of the raw HTTP request
 * (credentials sent up front), and what real `git` does with it (git sends credentials only after
 * a 401, so a public repository reads anonymously whatever credentials the URL carries).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asCookie,
  asPassword,
  basicAuth,
  call,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { GIT_ENV, git, TempDirs } from '../helpers/git';
import { gitAsync } from '../helpers/node-git-server';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';
import { secretFromUri, totp } from '../helpers/totp';

const base = serverUrl();

type Visibility = 'public' | 'private';
type Actor = 'anonymous' | 'stranger' | 'reader' | 'writer' | 'readToken' | 'twoFactorPassword';
type Op = 'lsRemote' | 'clone' | 'push';
/** What git ends with: success, or the refusal it prints. */
type GitOutcome = 'ok' | 'asks for credentials' | 'authentication failed' | 'not found' | 'forbidden';
type Cell = readonly [status: 200 | 401 | 403 | 404, git: GitOutcome];

const OK: Cell = [200, 'ok'];
const CHALLENGE_ANON: Cell = [401, 'asks for credentials'];
const BAD_CREDENTIALS: Cell = [401, 'authentication failed'];
const HIDDEN: Cell = [404, 'not found'];
const NO_WRITE: Cell = [403, 'forbidden'];

const EXPECTED: Record<Visibility, Record<Actor, Record<Op, Cell>>> = {
  public: {
    anonymous: { lsRemote: OK, clone: OK, push: CHALLENGE_ANON },
    stranger: { lsRemote: OK, clone: OK, push: NO_WRITE },
    reader: { lsRemote: OK, clone: OK, push: NO_WRITE },
    writer: { lsRemote: OK, clone: OK, push: OK },
    readToken: { lsRemote: OK, clone: OK, push: NO_WRITE },
    // A password is no credential for a two-factor account: 401 whenever it is sent. git sends it
    // only after a 401, so its reads of a public repository go through as anonymous ones.
    twoFactorPassword: {
      lsRemote: [401, 'ok'],
      clone: [401, 'ok'],
      push: BAD_CREDENTIALS,
    },
  },
  private: {
    anonymous: { lsRemote: CHALLENGE_ANON, clone: CHALLENGE_ANON, push: CHALLENGE_ANON },
    stranger: { lsRemote: HIDDEN, clone: HIDDEN, push: HIDDEN },
    reader: { lsRemote: OK, clone: OK, push: NO_WRITE },
    writer: { lsRemote: OK, clone: OK, push: OK },
    readToken: { lsRemote: OK, clone: OK, push: NO_WRITE },
    twoFactorPassword: { lsRemote: BAD_CREDENTIALS, clone: BAD_CREDENTIALS, push: BAD_CREDENTIALS },
  },
};

/** The user name and secret each actor gives git (null: none). */
const credentials = {} as Record<Actor, { username: string; secret: string } | null>;
const repoPath = {} as Record<Visibility, string>;
let owner: TestUser;
let ownerToken: string;
const dirs = new TempDirs();
let src: string;
let twoFactorToken: string;

/** Turns two-factor authentication on for `user` (TOTP), as the settings page does. */
async function enableTwoFactor(user: TestUser): Promise<void> {
  const headers = { Origin: base };
  const enabled = await call<{ totpURI: string }>(base, 'POST', '/api/auth/two-factor/enable', {
    auth: asCookie(user),
    headers,
    json: { password: user.password },
  });
  expect(enabled.status).toBe(200);
  const code = totp(secretFromUri(enabled.body.totpURI));
  const verified = await call(base, 'POST', '/api/auth/two-factor/verify-totp', {
    auth: asCookie(user),
    headers,
    json: { code },
  });
  expect(verified.status).toBe(200);
}

async function addCollaborator(repo: string, user: TestUser, permission: 'read' | 'write'): Promise<void> {
  await grantOn(base, repo, { authorization: `token ${ownerToken}` }, user, permission);
}

beforeAll(async () => {
  owner = await signUp(base, 'authz-owner');
  ownerToken = (await createToken(base, owner)).sha1;
  const [stranger, reader, writer, twoFactor] = await Promise.all(
    ['authz-stranger', 'authz-reader', 'authz-writer', 'authz-2fa'].map((p) => signUp(base, p)),
  );
  const readOnly = await createToken(base, writer, { scopes: ['read:repository'] });
  const strangerToken = await createToken(base, stranger);
  const writerToken = await createToken(base, writer);
  credentials.anonymous = null;
  credentials.stranger = { username: stranger.username, secret: strangerToken.sha1 };
  credentials.reader = { username: reader.username, secret: reader.password };
  credentials.writer = { username: writer.username, secret: writerToken.sha1 };
  credentials.readToken = { username: writer.username, secret: readOnly.sha1 };
  credentials.twoFactorPassword = { username: twoFactor.username, secret: twoFactor.password };
  // Before two-factor is on, the password works (so the 401 below is the two-factor rule's).
  expect((await call(base, 'GET', '/api/v1/user', { auth: asPassword(twoFactor) })).status).toBe(200);
  twoFactorToken = (await createToken(base, twoFactor)).sha1;
  await enableTwoFactor(twoFactor);

  src = dirs.make();
  git(src, ['init', '-q', '-b', 'main']);
  writeFileSync(join(src, 'README'), 'hello\n');
  git(src, ['add', 'README']);
  git(src, ['commit', '-q', '-m', 'first']);
  for (const visibility of ['public', 'private'] as const) {
    const repo = await createRepo(base, { token: ownerToken }, uniqueName(`authz-${visibility}`), {
      private: visibility === 'private',
    });
    repoPath[visibility] = repo.full_name;
    await addCollaborator(repo.full_name, reader, 'read');
    await addCollaborator(repo.full_name, writer, 'write');
    // The two-factor account could write: only its password is refused.
    await addCollaborator(repo.full_name, twoFactor, 'write');
    const push = await gitAsync(src, [
      'push',
      '-q',
      gitUrl(visibility, { username: owner.username, secret: ownerToken }),
      'main',
    ]);
    expect(push.code, push.stderr).toBe(0);
  }
});

afterAll(() => dirs.removeAll());

function gitUrl(visibility: Visibility, creds: { username: string; secret: string } | null): string {
  const u = new URL(`${base}/${repoPath[visibility]}.git`);
  if (creds) {
    u.username = creds.username;
    u.password = creds.secret;
  }
  return u.toString();
}

/** The raw request each operation starts with (what git sends first, with credentials up front). */
async function rawStatus(visibility: Visibility, actor: Actor, op: Op): Promise<Response> {
  const creds = credentials[actor];
  const headers: Record<string, string> = creds
    ? { Authorization: basicAuth(creds.username, creds.secret) }
    : {};
  const repo = `${base}/${repoPath[visibility]}.git`;
  if (op === 'lsRemote') return fetch(`${repo}/info/refs?service=git-upload-pack`, { headers });
  if (op === 'clone') {
    // A v2 ls-refs, the first POST of a clone.
    return fetch(`${repo}/git-upload-pack`, {
      method: 'POST',
      headers: {
        ...headers,
        'Content-Type': 'application/x-git-upload-pack-request',
        'Git-Protocol': 'version=2',
      },
      body: '0014command=ls-refs\n0000',
    });
  }
  return fetch(`${repo}/git-receive-pack`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/x-git-receive-pack-request' },
    body: '0000',
  });
}

/** Runs git for the operation; its outcome, read from the exit code and what it printed. */
async function gitOutcome(visibility: Visibility, actor: Actor, op: Op): Promise<GitOutcome> {
  const url = gitUrl(visibility, credentials[actor]);
  // No prompts and no credential helper: git must end with what the server said.
  const env = { ...GIT_ENV, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };
  const dir = dirs.make();
  let r: Awaited<ReturnType<typeof gitAsync>>;
  if (op === 'lsRemote') r = await gitAsync(dir, ['ls-remote', url], env);
  else if (op === 'clone') r = await gitAsync(dir, ['clone', '-q', url, 'c'], env);
  else {
    const branch = `${actor}-${visibility}`;
    r = await gitAsync(src, ['push', '-q', url, `main:refs/heads/${branch}`], env);
  }
  if (r.code === 0) {
    if (op === 'lsRemote') expect(r.stdout).toContain('refs/heads/main');
    if (op === 'clone')
      expect(git(join(dir, 'c'), ['rev-parse', 'HEAD']).trim()).toBe(git(src, ['rev-parse', 'main']).trim());
    return 'ok';
  }
  const err = r.stderr;
  if (/could not read Username|terminal prompts disabled/.test(err)) return 'asks for credentials';
  if (/Authentication failed/.test(err)) return 'authentication failed';
  if (/not found/.test(err)) return 'not found';
  if (/returned error: 403/.test(err)) return 'forbidden';
  throw new Error(`unexpected git failure (${op}, ${actor}, ${visibility}):\n${err}`);
}

for (const visibility of ['public', 'private'] as const) {
  describe(`${visibility} repository`, () => {
    for (const actor of Object.keys(EXPECTED[visibility]) as Actor[]) {
      for (const op of ['lsRemote', 'clone', 'push'] as const) {
        const [status, outcome] = EXPECTED[visibility][actor][op];
        it(`${actor} ${op}: HTTP ${status}, git ${outcome}`, async () => {
          const res = await rawStatus(visibility, actor, op);
          const body = await res.text();
          expect(res.status, body).toBe(status);
          // Only a 401 challenges, so git asks for credentials exactly then (CONTRACT.md).
          if (status === 401) expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic realm="[^"]+"$/);
          else expect(res.headers.get('WWW-Authenticate')).toBeNull();
          if (status !== 200) expect(res.headers.get('Content-Type')).toContain('text/plain');
          expect(await gitOutcome(visibility, actor, op)).toBe(outcome);
        });
      }
    }
  });
}

describe('positive controls', () => {
  it('the two-factor account, refused with its password, pushes with its token', async () => {
    const twoFactor = credentials.twoFactorPassword;
    if (!twoFactor) throw new Error('no two-factor account');
    for (const visibility of ['public', 'private'] as const) {
      const url = gitUrl(visibility, { username: twoFactor.username, secret: twoFactorToken });
      const r = await gitAsync(src, ['push', '-q', url, `main:refs/heads/2fa-token-${visibility}`]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('a refused push changed nothing: only branches of those who may push exist', async () => {
    for (const visibility of ['public', 'private'] as const) {
      const url = gitUrl(visibility, { username: owner.username, secret: ownerToken });
      const branches = git(src, ['ls-remote', '--heads', url])
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[1]);
      const mayPush = (a: Actor) => EXPECTED[visibility][a].push[1] === 'ok';
      for (const b of branches) {
        const actor = /^refs\/heads\/(.+)-(public|private)$/.exec(b)?.[1];
        if (b === 'refs/heads/main' || actor === '2fa-token') continue;
        expect(actor && mayPush(actor as Actor), b).toBe(true);
      }
    }
  });
});
