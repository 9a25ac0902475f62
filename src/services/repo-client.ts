/**
 * The one way into a repository's Durable Object: typed methods over its RPC stub, the results
 * tagged as the object returns them. Surfaces (git door, API, pages) call this, never the stub.
 */
import type { RepoRecord } from '../db/repos';
import type { BrowseRequest, BrowseResult } from '../storage/browse-types';
import type { Mergeability, MergeRequest, MergeResult } from '../storage/merge';
import type { GitService, ProtocolVersion, RepoObject, RepoOptions, RepoStats } from '../storage/repo-object';

export type { GitService, ProtocolVersion, RepoStats };

/** The repository fields the object needs: its immutable id names the object. */
export type RepoRef = Pick<RepoRecord, 'id' | 'defaultBranch'>;

export class RepoClient {
  private readonly stub: DurableObjectStub<RepoObject>;
  private readonly opts: RepoOptions;

  constructor(env: Env, repo: RepoRef) {
    // Addressed by the repository's id, not its name, so that a rename keeps its data.
    this.stub = env.REPO.get(env.REPO.idFromName(`repo:${repo.id}`));
    this.opts = { defaultBranch: repo.defaultBranch };
  }

  /** The `info/refs` body for a service. */
  advertise(service: GitService, version: ProtocolVersion): Promise<Uint8Array> {
    return this.stub.advertise(service, version, this.opts);
  }

  uploadPack(
    body: ReadableStream<Uint8Array>,
    version: ProtocolVersion,
  ): Promise<ReadableStream<Uint8Array>> {
    return this.stub.uploadPack(body, version, this.opts);
  }

  receivePack(body: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
    return this.stub.receivePack(body, this.opts);
  }

  /** Reads for the pages and the content API (trees, files, history, diffs, blame, archives). */
  browse(request: BrowseRequest): Promise<BrowseResult> {
    return this.stub.browse(request, this.opts);
  }

  merge(request: MergeRequest): Promise<MergeResult> {
    return this.stub.merge(request, this.opts);
  }

  mergeability(base: string, head: string): Promise<Mergeability> {
    return this.stub.mergeability(base, head, this.opts);
  }

  headBranch(): Promise<string> {
    return this.stub.headBranch(this.opts);
  }

  setDefaultBranch(branch: string): Promise<void> {
    return this.stub.setDefaultBranch(branch);
  }

  isEmpty(): Promise<boolean> {
    return this.stub.isEmpty();
  }

  stats(): Promise<RepoStats> {
    return this.stub.stats();
  }

  destroy(): Promise<void> {
    return this.stub.destroy();
  }
}

export function repoClient(env: Env, repo: RepoRef): RepoClient {
  return new RepoClient(env, repo);
}
