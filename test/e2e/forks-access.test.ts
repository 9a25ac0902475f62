// Who may fork a repository and list its forks: each actor (anonymous, a token without
// write:repository, stranger, reader, writer, admin, owner) on a public and a private repository.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asToken,
  call,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { type ForkJson, forkParent } from '../helpers/forks';
import { makeRepo, TempDirs } from '../helpers/git';
import { grant } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let source: string;

const tokenOf = (u: GitUser): Auth => asToken(u.token);

beforeAll(async () => {
  source = dirs.keep(makeRepo(150));
});

afterAll(() => dirs.removeAll());

describe('who may fork', () => {
  type Who = 'anonymous' | 'stranger' | 'reader' | 'writer' | 'admin' | 'owner' | 'readOnlyToken';
  const WHO: readonly Who[] = [
    'anonymous',
    'readOnlyToken',
    'stranger',
    'reader',
    'writer',
    'admin',
    'owner',
  ];
  // POST .../forks, then GET .../forks, per actor. A private repository the caller cannot read is
  // 404; the owner's fork would take the parent's own name (409); a token without
  // write:repository may read but not create a repository (403).
  const EXPECTED: Record<'public' | 'private', Record<Who, { fork: number; list: number }>> = {
    public: {
      anonymous: { fork: 401, list: 200 },
      readOnlyToken: { fork: 403, list: 200 },
      stranger: { fork: 202, list: 200 },
      reader: { fork: 202, list: 200 },
      writer: { fork: 202, list: 200 },
      admin: { fork: 202, list: 200 },
      owner: { fork: 409, list: 200 },
    },
    private: {
      anonymous: { fork: 404, list: 404 },
      readOnlyToken: { fork: 403, list: 200 },
      stranger: { fork: 404, list: 404 },
      reader: { fork: 202, list: 200 },
      writer: { fork: 202, list: 200 },
      admin: { fork: 202, list: 200 },
      owner: { fork: 409, list: 200 },
    },
  };
  const users = {} as Record<Exclude<Who, 'anonymous' | 'readOnlyToken'>, GitUser>;
  const auths = {} as Record<Who, Auth>;

  beforeAll(async () => {
    const names = ['stranger', 'reader', 'writer', 'admin', 'owner'] as const;
    const made = await Promise.all(names.map((n) => createUser(base, `forkm-${n}`)));
    names.forEach((n, i) => {
      users[n] = made[i];
      auths[n] = tokenOf(made[i]);
    });
    auths.anonymous = null;
    // The reader's session for the reader (the second door), a read-only token of the reader's.
    auths.reader = asCookie(users.reader);
    auths.readOnlyToken = asToken(
      (await createToken(base, users.reader, { scopes: ['read:repository'] })).sha1,
    );
  });

  for (const visibility of ['public', 'private'] as const) {
    test(`${visibility} repository`, async () => {
      const name = await forkParent(base, source, users.owner, { private: visibility === 'private' });
      await grant(base, users.owner, name, users.reader, 'read');
      await grant(base, users.owner, name, users.writer, 'write');
      await grant(base, users.owner, name, users.admin, 'admin');
      const path = `/api/v1/repos/${users.owner.username}/${name}/forks`;
      const got: Record<string, { fork: number; list: number }> = {};
      // The read-only token goes first: its refusal must not spend the reader's one fork.
      for (const who of WHO) {
        const fork = await call<ForkJson>(base, 'POST', path, { auth: auths[who], json: {} });
        const list = await call(base, 'GET', path, { auth: auths[who] });
        got[who] = { fork: fork.status, list: list.status };
        if (fork.status === 202) {
          expect(fork.body.private).toBe(visibility === 'private');
          expect(fork.body.parent?.full_name).toBe(`${users.owner.username}/${name}`);
        }
      }
      expect(got).toEqual(EXPECTED[visibility]);
      const listed = await call<ForkJson[]>(base, 'GET', path, { auth: auths.owner });
      const owners = listed.body.map((f) => f.owner.login).sort();
      if (visibility === 'public') {
        expect(owners).toEqual(
          [users.admin, users.reader, users.stranger, users.writer].map((u) => u.username).sort(),
        );
      } else {
        // Private forks are readable by their own owners only: the parent's owner sees none listed.
        expect(owners).toEqual([]);
        const readerFork = `/api/v1/repos/${users.reader.username}/${name}`;
        expect((await call(base, 'GET', readerFork, { auth: auths.reader })).status).toBe(200);
        expect((await call(base, 'GET', readerFork, { auth: auths.stranger })).status).toBe(404);
        expect((await call(base, 'GET', readerFork, { auth: auths.owner })).status).toBe(404);
        expect((await call(base, 'GET', readerFork, { auth: null })).status).toBe(404);
      }
    });
  }
});
