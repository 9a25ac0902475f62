// A repository to test against: made through the API, with collaborators, and history pushed with
// real git from a clone the test keeps working in.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Auth, asToken, authUrl, call, createRepo, type GitUser, uniqueName } from './accounts';
import { git, type TempDirs } from './git';

export type Permission = 'read' | 'write' | 'admin';

/** `repoOwner` makes `who` a collaborator of `repoOwner/name` with `permission`. */
export function grant(
  base: string,
  repoOwner: GitUser,
  name: string,
  who: { readonly username: string },
  permission: Permission,
): Promise<void> {
  return grantOn(base, `${repoOwner.username}/${name}`, asToken(repoOwner.token), who, permission);
}

/** As grant, for the repository `fullName` (`owner/name`) administered by whoever `auth` names. */
export async function grantOn(
  base: string,
  fullName: string,
  auth: Auth,
  who: { readonly username: string },
  permission: Permission,
): Promise<void> {
  const r = await call(base, 'PUT', `/api/v1/repos/${fullName}/collaborators/${who.username}`, {
    auth,
    // A write by session cookie must come from the site itself.
    headers: { Origin: base },
    json: { permission },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(204);
}

/** Writes `text` (and a newline) to `file` in the clone `dir` and commits it, with `text` as message; its id. */
export function commitFile(dir: string, file: string, text: string): string {
  writeFileSync(join(dir, file), `${text}\n`);
  git(dir, ['add', file]);
  git(dir, ['commit', '-q', '-m', text]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

export interface PushedRepo {
  readonly name: string;
  /** The repository's API path, `/api/v1/repos/{owner}/{name}`. */
  readonly path: string;
  /** The repository's page, absolute. */
  readonly web: string;
  /** The clone, on `feature` when one was made, else on `main`. */
  readonly dir: string;
  /** The push URL as `user` (password in it). */
  url(user: GitUser): string;
  /** `main`'s commit (a.txt: "first"). */
  readonly main: string;
  /** `feature`'s commit (b.txt: "feature"), one ahead of main, when asked for. */
  readonly feature: string | null;
}

/**
 * A repository of `owner` with `collaborators` added, and `main` pushed by the owner; with
 * `featureBy`, a branch `feature` one commit ahead of it pushed by that user.
 */
export async function pushedRepo(
  base: string,
  dirs: TempDirs,
  owner: GitUser,
  opts: {
    prefix: string;
    private?: boolean;
    collaborators?: readonly (readonly [GitUser, Permission])[];
    featureBy?: GitUser;
  },
): Promise<PushedRepo> {
  const name = uniqueName(opts.prefix);
  await createRepo(base, asToken(owner.token), name, { private: opts.private });
  const path = `/api/v1/repos/${owner.username}/${name}`;
  for (const [user, permission] of opts.collaborators ?? []) await grant(base, owner, name, user, permission);
  const dir = dirs.make();
  const url = (user: GitUser) => authUrl(base, user, owner.username, name);
  git(dir, ['init', '-q', '-b', 'main']);
  const main = commitFile(dir, 'a.txt', 'first');
  git(dir, ['push', '-q', url(owner), 'main']);
  let feature: string | null = null;
  if (opts.featureBy) {
    git(dir, ['checkout', '-q', '-b', 'feature']);
    feature = commitFile(dir, 'b.txt', 'feature');
    git(dir, ['push', '-q', url(opts.featureBy), 'feature']);
  }
  return { name, path, web: `${base}/${owner.username}/${name}`, dir, url, main, feature };
}

/** Opens a pull request of `feature` into `main` as `by`; its number. */
export async function openPull(base: string, path: string, by: GitUser, title = 'Feature'): Promise<number> {
  const pr = await call<{ number: number }>(base, 'POST', `${path}/pulls`, {
    auth: asToken(by.token),
    json: { head: 'feature', base: 'main', title },
  });
  expect(pr.status).toBe(201);
  return pr.body.number;
}
