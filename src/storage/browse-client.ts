/** The Worker side of browsing: one call into the repository's Durable Object. */
import type { RepoRecord } from '../db/repos';
import type { BrowseRequest, BrowseResult } from './browse-types';
import type { RepoOptions } from './repo-object';
import { repoStub } from './repo-stub';

/** The RPC method RepoObject exposes for browsing (it calls `runBrowse`). */
interface BrowseRpc {
  browse(request: BrowseRequest, opts: RepoOptions): Promise<BrowseResult>;
}

export async function browseRepo(env: Env, repo: RepoRecord, request: BrowseRequest): Promise<BrowseResult> {
  // The stub's generated RPC types wrap results; this names the plain shape runBrowse returns.
  const stub = repoStub(env, repo.id) as unknown as BrowseRpc;
  return stub.browse(request, { defaultBranch: repo.defaultBranch });
}
