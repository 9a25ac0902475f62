// The setup the fork tests share: a user's repository holding a fixture's history, a fork of it,
// collaborators granted on either.
import { expect } from 'vitest';
import { asToken, authUrl, call, createRepo, type GitUser, uniqueName } from './accounts';
import { gitAsync } from './git';

export interface RepoWithHistory {
  readonly name: string;
  /** The clone URL with the owner's token. */
  readonly url: string;
}

/**
 * A repository of `owner` (default branch `main`) holding the history of the fixture `source`,
 * pushed with each refspec list in turn (default: `main` alone).
 */
export async function repoWithHistory(
  base: string,
  owner: GitUser,
  source: string,
  opts: { prefix?: string; private?: boolean; pushes?: readonly (readonly string[])[] } = {},
): Promise<RepoWithHistory> {
  const name = uniqueName(opts.prefix ?? 'upstream');
  await createRepo(base, owner, name, { private: opts.private ?? false, default_branch: 'main' });
  const url = authUrl(base, owner, owner.username, name);
  for (const refspecs of opts.pushes ?? [['main']]) await gitAsync(source, ['push', '-q', url, ...refspecs]);
  return { name, url };
}

/** `forker` forks `owner/name` into its own account (202 expected); the fork's JSON. */
export async function forkOf<T = Record<string, unknown>>(
  base: string,
  forker: GitUser,
  owner: string,
  name: string,
  json: Record<string, unknown> = {},
): Promise<T> {
  const f = await call<T>(base, 'POST', `/api/v1/repos/${owner}/${name}/forks`, {
    auth: asToken(forker.token),
    json,
  });
  expect(f.status, JSON.stringify(f.body)).toBe(202);
  return f.body;
}

/** A fork's repository JSON, the fields the tests read. */
export interface ForkJson {
  full_name: string;
  name: string;
  fork: boolean;
  private: boolean;
  forks_count: number;
  default_branch: string;
  parent: { full_name: string; private: boolean } | null;
  owner: { login: string };
}

/** A repository of `u` holding `source`'s history, pushed in two parts (two packs, two layers). */
export async function forkParent(
  base: string,
  source: string,
  u: GitUser,
  opts: { private?: boolean } = {},
): Promise<string> {
  const pushes = [['main~40:refs/heads/main'], ['--all'], ['--tags']];
  return (await repoWithHistory(base, u, source, { prefix: 'parent', private: opts.private, pushes })).name;
}
