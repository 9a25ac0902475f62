// What the branch protection tests share: six accounts (owner, admin, two writers, reader,
// stranger) and repositories of the owner with the others as collaborators, `main` pushed.
import { afterAll, beforeAll } from 'vitest';
import { type Auth, asToken, createUser, type GitUser } from './accounts';
import { TempDirs } from './git';
import { pushedRepo } from './repo-setup';

export type Who = 'owner' | 'admin' | 'writer' | 'writer2' | 'reader' | 'stranger';

/** Registers the file's hooks: the accounts are made once its beforeAll has run. */
export function protectionFixture(base: string) {
  const dirs = new TempDirs();
  const users = {} as Record<Who, GitUser>;
  const tok = (who: Who): Auth => asToken(users[who].token);

  beforeAll(async () => {
    const names: Who[] = ['owner', 'admin', 'writer', 'writer2', 'reader', 'stranger'];
    const made = await Promise.all(names.map((n) => createUser(base, `pr-${n}`)));
    names.forEach((n, i) => {
      users[n] = made[i];
    });
  });

  afterAll(() => dirs.removeAll());

  /** A repository of the owner with collaborators, and a clone with `main` pushed. */
  async function setup(opts: { private?: boolean } = {}) {
    const repo = await pushedRepo(base, dirs, users.owner, {
      prefix: 'prot',
      private: opts.private,
      collaborators: [
        [users.admin, 'admin'],
        [users.writer, 'write'],
        [users.writer2, 'write'],
        [users.reader, 'read'],
      ],
    });
    return { ...repo, url: (who: Who) => repo.url(users[who]) };
  }
  return { dirs, users, tok, setup };
}
