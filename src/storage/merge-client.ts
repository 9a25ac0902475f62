/** The Worker side of merging: calls into the repository's Durable Object (see merge.ts). */
import type { RepoRecord } from '../db/repos';
import type { Mergeability, MergeRequest, MergeResult } from './merge';
import type { RepoOptions } from './repo-object';
import { repoStub } from './repo-stub';

/** The RPC methods RepoObject exposes for pull requests (they call runMerge and mergeability). */
interface MergeRpc {
  merge(request: MergeRequest, opts: RepoOptions): Promise<MergeResult>;
  mergeability(base: string, head: string, opts: RepoOptions): Promise<Mergeability>;
}

function stub(env: Env, repo: RepoRecord): MergeRpc {
  // The stub's generated RPC types wrap results; this names the plain shapes merge.ts returns.
  return repoStub(env, repo.id) as unknown as MergeRpc;
}

export function mergeInRepo(env: Env, repo: RepoRecord, request: MergeRequest): Promise<MergeResult> {
  return stub(env, repo).merge(request, { defaultBranch: repo.defaultBranch });
}

export function repoMergeability(
  env: Env,
  repo: RepoRecord,
  base: string,
  head: string,
): Promise<Mergeability> {
  return stub(env, repo).mergeability(base, head, { defaultBranch: repo.defaultBranch });
}
