/**
 * The one way into a repository's Durable Object: typed methods over its RPC stub, the results
 * tagged as the object returns them. Surfaces (git door, API, pages) call this, never the stub.
 */
import type { RepoRecord } from '../db/repos';
import type { BrowseRequest, BrowseResult, GitBlob, GitTreeListing, RefObject } from '../git/browse/request';
import type { Mergeability, MergeRequest, MergeResult } from '../git/merge/merge-refs';
import type { Protection } from '../git/protect/guard';
import type { ForkCompareResult } from '../storage/fork-compare';
import type { ForkCopyResult } from '../storage/fork-copy';
import type { ClonePack } from '../storage/pack-copies';
import type { FetchRefResult } from '../storage/pull-head';
import type {
  BranchDeletion,
  CommitFilesRequest,
  CommitFilesResult,
  CreateTagResult,
  GitService,
  MaintenanceResult,
  ProtocolVersion,
  PushNotice,
  RepoObject,
  RepoStats,
  RepoSummary,
  SourceFetchOutcome,
} from '../storage/repo-object';
import type { UpstreamSyncRequest, UpstreamSyncResult } from '../storage/upstream-sync';
import { expectKind } from './browse';

export type {
  BranchDeletion,
  ClonePack,
  CommitFilesRequest,
  CommitFilesResult,
  CreateTagResult,
  GitService,
  MaintenanceResult,
  ProtocolVersion,
  PushNotice,
  RepoStats,
  RepoSummary,
};

/** The object is named by the repository's immutable id. */
export type RepoRef = Pick<RepoRecord, 'id'>;

export class RepoClient {
  private readonly stub: DurableObjectStub<RepoObject>;

  constructor(env: Env, repo: RepoRef) {
    // Addressed by the repository's id, not its name, so that a rename keeps its data.
    this.stub = env.REPO.get(env.REPO.idFromName(`repo:${repo.id}`));
  }

  /** The `info/refs` body for a service. */
  advertise(service: GitService, version: ProtocolVersion): Promise<Uint8Array> {
    return this.stub.advertise(service, version);
  }

  /** `admissionWaitMs` here and below: how long heavy work may wait for room before it is refused
   * as busy (services/admission-wait.ts: test servers only; else the object's own wait). */
  uploadPack(
    body: ReadableStream<Uint8Array>,
    version: ProtocolVersion,
    gzip = false,
    admissionWaitMs?: number,
  ): Promise<ReadableStream<Uint8Array>> {
    return this.stub.uploadPack(body, version, gzip, admissionWaitMs);
  }

  /** The R2 copies of the stored packs that answer a whole clone of exactly `wants`, or null. */
  clonePlan(wants: string[]): Promise<ClonePack[] | null> {
    return this.stub.clonePlan(wants);
  }

  /** `notice` names the pusher for the webhooks the push triggers; `protection` carries the
   * repository's branch rules, applied as the refs move. */
  receivePack(
    body: ReadableStream<Uint8Array>,
    notice?: PushNotice,
    protection?: Protection,
    admissionWaitMs?: number,
  ): Promise<ReadableStream<Uint8Array>> {
    return this.stub.receivePack(body, notice, protection, admissionWaitMs);
  }

  /** Deletes a branch under its protection rules. */
  deleteBranch(branch: string, protection?: Protection): Promise<BranchDeletion> {
    return this.stub.deleteBranch(branch, protection);
  }

  /** Reads for the pages and the content API (trees, files, history, diffs, blame, archives). */
  browse(request: BrowseRequest, admissionWaitMs?: number): Promise<BrowseResult> {
    return this.stub.browse(request, admissionWaitMs);
  }

  /** Refs under `prefix` (`refs/`, `refs/heads/`, ...) with the type of the object each names. */
  async gitRefs(prefix: string): Promise<RefObject[]> {
    return expectKind(await this.stub.browse({ kind: 'git-refs', prefix }), 'git-refs').refs;
  }

  /** One page of a tree (by tree, commit or tag id, or a branch or tag name); the walk is capped. */
  async gitTree(
    id: string,
    options: { recursive: boolean; page: number; perPage: number },
  ): Promise<GitTreeListing> {
    return expectKind(await this.stub.browse({ kind: 'git-tree', id, ...options }), 'git-tree');
  }

  /** A blob by id, its bytes only up to `maxBytes` (larger ones come back described, without bytes). */
  async gitBlob(id: string, maxBytes: number): Promise<GitBlob> {
    return expectKind(await this.stub.browse({ kind: 'git-blob', id, maxBytes }), 'git-blob');
  }

  /** One commit of file changes on a branch, moved as a push moves it; `notice` names the writer for webhooks. */
  commitFiles(request: CommitFilesRequest, notice?: PushNotice): Promise<CommitFilesResult> {
    return this.stub.commitFiles(request, notice);
  }

  merge(request: MergeRequest): Promise<MergeResult> {
    return this.stub.merge(request);
  }

  /** A fork's branch brought up to `tip` of its parent's (merge-upstream, "Sync fork"). */
  syncUpstream(parentId: number, tip: string, request: UpstreamSyncRequest): Promise<UpstreamSyncResult> {
    return this.stub.syncUpstream(parentId, tip, request);
  }

  mergeability(base: string, head: string): Promise<Mergeability> {
    return this.stub.mergeability(base, head);
  }

  /** Creates the lightweight tag `tag` at `target` ('' for the default branch) unless it exists. */
  createTag(tag: string, target: string): Promise<CreateTagResult> {
    return this.stub.createTag(tag, target);
  }

  /** HEAD's branch (the object owns HEAD) and whether the repository has any ref. */
  summary(): Promise<RepoSummary> {
    return this.stub.summary();
  }

  /** Points HEAD at `branch`; the object updates the metadata's copy. */
  setDefaultBranch(branch: string): Promise<void> {
    return this.stub.setDefaultBranch(branch);
  }

  isEmpty(): Promise<boolean> {
    return this.stub.isEmpty();
  }

  stats(): Promise<RepoStats> {
    return this.stub.stats();
  }

  /** The alarm's maintenance now (compaction, the cached pack's repair), unless a push is being received. */
  maintain(): Promise<MaintenanceResult> {
    return this.stub.maintain();
  }

  /** The commit a ref names, or null. */
  refTip(name: string): Promise<string | null> {
    return this.stub.refTip(name);
  }

  /** Points `ref` at commit `oid` of repository `sourceId`, fetching what is missing from it. */
  fetchRef(sourceId: number, oid: string, ref: string): Promise<FetchRefResult> {
    return this.stub.fetchRef(sourceId, oid, ref);
  }

  /** Base branch `base` compared with commit `tip` of `fork`'s, fetched here for the comparison. */
  compareFork(fork: RepoRef, tip: string, base: string): Promise<ForkCompareResult> {
    return this.stub.compareFork(fork.id, tip, base);
  }

  /** Copies repository `parentId`'s git data into this new, empty repository (a fork). */
  copyFrom(parentId: number): Promise<ForkCopyResult> {
    return this.stub.copyFrom(parentId);
  }

  /** Fetches the repository's source now (a migration, a mirror's sync); the outcome is also recorded on it.
   * `origin` is the public origin for the links of the webhooks a sync fires. */
  fetchFromSource(origin?: string): Promise<SourceFetchOutcome> {
    return this.stub.fetchFromSource(origin);
  }

  /** A migration's import continued by the repository's alarm from its cursor (a retry, or the rate limit's wait cut short). */
  scheduleImport(): Promise<void> {
    return this.stub.scheduleImport();
  }

  /** The background work due at `now` (ms) run at once; the kinds that ran. */
  runDue(now: number): Promise<string[]> {
    return this.stub.runDue(now);
  }

  /** Pushes the repository to its push mirrors (all, or the one named) now, and re-arms their interval. */
  syncPushMirrors(name?: string): Promise<void> {
    return this.stub.syncPushMirrors(name === undefined ? { kind: 'all' } : { kind: 'name', name });
  }

  /** A pull mirror's interval changed: its next sync one interval from now (none for 0). */
  scheduleMirrorSync(intervalSeconds: number): Promise<void> {
    return this.stub.scheduleMirrorSync(intervalSeconds);
  }

  /** After a push mirror was added or deleted: re-arms their interval alarm and recounts those
   * synced on commit; pushes to any that are due. */
  schedulePushMirrors(): Promise<void> {
    return this.stub.syncPushMirrors({ kind: 'due', now: Date.now() });
  }

  destroy(): Promise<void> {
    return this.stub.destroy();
  }
}

export function repoClient(env: Env, repo: RepoRef): RepoClient {
  return new RepoClient(env, repo);
}
