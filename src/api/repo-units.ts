// Gitea's repository switches for API writes: a disabled unit answers 404 (as Gitea's
// mustEnableIssues / mustAllowPulls do), an archived repository 423.
import { findRepoSetting } from '../db/repo-settings';
import type { RepoRecord } from '../db/repos';
import type { ApiContext } from './context';
import { archivedError, notFound } from './errors';

export type RepoUnit = 'issues' | 'pulls';

/** Refuses creating an issue or pull request where the repository does not take them. */
export async function requireOpenUnit(c: ApiContext, repo: RepoRecord, unit: RepoUnit): Promise<void> {
  const s = await findRepoSetting(c.env.DB, repo.id);
  if (unit === 'issues' && !s.hasIssues) throw notFound('issues are disabled for this repository');
  if (unit === 'pulls' && !s.hasPullRequests)
    throw notFound('pull requests are disabled for this repository');
  if (s.archived) throw archivedError();
}
