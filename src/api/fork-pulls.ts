// Opening a pull request from a fork's branch (`head: "{forkowner}:{branch}"`): the fork must be
// one the caller can read; its branch's commits are fetched into this repository as
// refs/pull/{n}/head, which the merge machinery then reads as it reads a branch.
import type { Actor } from '../auth/authenticate';
import { repoPermission } from '../auth/permission';
import { createPull, findOpenPull } from '../db/pulls';
import { findForkByOwner, type RepoRecord } from '../db/repos';
import { findUserByName } from '../db/users';
import { ZERO_OID } from '../git/store';
import { pullHeadRef } from '../services/pull-head';
import { repoClient } from '../services/repo-client';
import type { ApiContext } from './context';
import { conflict, invalid } from './errors';

export interface ForkPullInput {
  forkOwner: string;
  branch: string;
  base: string;
  title: string;
  body: string;
}

export async function openForkPull(
  c: ApiContext,
  repo: RepoRecord,
  actor: Actor,
  input: ForkPullInput,
): Promise<{ id: number; number: number }> {
  const owner = await findUserByName(c.env.DB, input.forkOwner);
  const fork = owner ? await findForkByOwner(c.env.DB, repo.id, owner.id) : null;
  // A fork the caller cannot read is answered as one that does not exist.
  const readable = fork ? await repoPermission(c.env, actor, fork.owner, fork.name) : null;
  if (!fork || !readable) throw invalid(`'${input.forkOwner}' has no fork of ${repo.owner}/${repo.name}`);
  const tip = await repoClient(c.env, fork).refTip(`refs/heads/${input.branch}`);
  if (tip === null) throw invalid(`head branch '${input.forkOwner}:${input.branch}' does not exist`);
  const baseSha = await repoClient(c.env, repo).refTip(`refs/heads/${input.base}`);
  if (baseSha === null) throw invalid(`base branch '${input.base}' does not exist`);
  const existing = await findOpenPull(c.env.DB, repo.id, input.branch, input.base, fork.id);
  if (existing !== null) {
    throw conflict(
      `a pull request from '${input.forkOwner}:${input.branch}' into '${input.base}' is already open: #${existing}`,
    );
  }
  const created = await createPull(c.env.DB, {
    repoId: repo.id,
    authorId: actor.userId,
    title: input.title,
    body: input.body,
    headBranch: input.branch,
    headRepoId: fork.id,
    baseBranch: input.base,
    // Filled in by the first read, once the head is fetched (see pull-state.ts).
    headSha: ZERO_OID,
    baseSha,
    mergeBase: null,
    mergeable: 'unknown',
    conflicts: [],
  });
  const fetched = await repoClient(c.env, repo).fetchRef(fork.id, tip, pullHeadRef(created.number));
  if (!fetched.ok) console.error(`pull #${created.number}: fetching ${tip} from the fork: ${fetched.reason}`);
  return created;
}
