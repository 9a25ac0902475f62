import type { RepoRecord } from '../db/repos';
import { repoStub } from '../storage/repo-stub';

/** Whether the repository holds no refs yet (asked of its Durable Object). */
export async function isRepoEmpty(env: Env, repo: RepoRecord): Promise<boolean> {
  return repoStub(env, repo.id).isEmpty();
}
