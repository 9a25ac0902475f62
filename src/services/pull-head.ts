/**
 * The head of a pull request from a fork lives in the upstream as `refs/pull/{n}/head`, fetched
 * from the fork's object (storage/pull-head.ts) when the pull request is opened and whenever it
 * is read while open and the fork's branch has moved; it stays after merge, close, or the fork's
 * deletion, so the pull request stays readable.
 */
import type { PullRecord } from '../db/pulls';
import { findRepoById, type RepoRecord } from '../db/repos';
import { repoClient } from './repo-client';

/** The upstream ref the merge machinery reads the head from: the branch, or `refs/pull/{n}/head`. */
export function headRefOf(
  pull: Pick<PullRecord, 'headRepoId' | 'headBranch'> & { issue: { number: number } },
): string {
  return pull.headRepoId === null ? pull.headBranch : pullHeadRef(pull.issue.number);
}

/** The head as pages and the API name it: `branch`, or `forkowner:branch` for a fork's
 * (`deleted:branch` once the fork is gone), as on GitHub. */
export function headLabelOf(
  pull: Pick<PullRecord, 'headRepoId' | 'headBranch'>,
  forkOwner: string | null,
): string {
  return pull.headRepoId === null ? pull.headBranch : `${forkOwner ?? 'deleted'}:${pull.headBranch}`;
}

export function pullHeadRef(number: number): string {
  return `refs/pull/${number}/head`;
}

/**
 * Bring a fork's branch into the upstream if it moved (open pull requests only); the fork, or
 * null when it is gone (or this is no fork's pull request). A fork whose branch was deleted, or a
 * fetch that fails, leaves what the upstream holds.
 */
export async function syncForkHead(env: Env, repo: RepoRecord, pull: PullRecord): Promise<RepoRecord | null> {
  if (pull.headRepoId === null) return null;
  const fork = await findRepoById(env.DB, pull.headRepoId);
  if (!fork || pull.merged || pull.issue.state !== 'open') return fork;
  const tip = await repoClient(env, fork).refTip(`refs/heads/${pull.headBranch}`);
  if (tip === null) return fork;
  const r = await repoClient(env, repo).fetchRef(fork.id, tip, pullHeadRef(pull.issue.number));
  if (!r.ok)
    console.error(`pull #${pull.issue.number}: fetching ${tip} from repository ${fork.id}: ${r.reason}`);
  return fork;
}
