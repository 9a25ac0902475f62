/**
 * One repository: a thin RPC shell over the git engine, with its packs, object index and refs in
 * this Durable Object's SQLite. Every operation on the repository's git data goes through here;
 * the work is in the modules beside it: repo-core.ts (what they share), repo-protocol.ts (fetch
 * and push), repo-maintenance.ts (the alarm, compaction), repo-mirrors.ts (push mirrors, fetches
 * from a source), repo-fork.ts (fork copy, pull heads, upstream sync), repo-stats.ts.
 */
import { DurableObject } from 'cloudflare:workers';
import type { BrowseRequest, BrowseResult } from '../git/browse/run';
import { type CommitFilesRequest, type CommitFilesResult, commitFiles } from '../git/edit/commit-files';
import {
  type Mergeability,
  type MergeRequest,
  type MergeResult,
  mergeability,
  runMerge,
} from '../git/merge/merge-refs';
import { type Protection, protectionCheck } from '../git/protect/guard';
import type { GitService, ProtocolVersion } from '../git/protocol/repository';
import { type CreateTagResult, createTag } from '../git/refs/create-tag';
import { ZERO_OID } from '../git/store';
import type { AlarmKind } from './alarms';
import { compareWithFork, type ForkCompareResult } from './fork-compare';
import {
  type ForkCopyResult,
  type ForkSnapshot,
  type ForkTable,
  type RowBatch,
  readForkRows,
  readForkSnapshot,
} from './fork-copy';
import { SqlMergeCheckCache } from './merge-check-cache';
import type { ClonePack } from './pack-copies';
import type { FetchRefResult } from './pull-head';
import type { PushMirrorSelection } from './push-mirror-sync';
import { browse } from './repo-browse';
import { RepoCore } from './repo-core';
import { copyFrom, fetchRef, syncUpstream } from './repo-fork';
import { scheduleImport } from './repo-import';
import { maintain, runAlarm, runDue } from './repo-maintenance';
import { advertise, serveReceivePack, serveUploadPack } from './repo-protocol';
import { repoStats } from './repo-stats';
import type {
  BranchDeletion,
  MaintenanceResult,
  PushNotice,
  RepoStats,
  RepoSummary,
  SourceFetchOutcome,
} from './repo-types';
import { recordInterruptedFetch } from './source-fetch';
import type { UpstreamSyncRequest, UpstreamSyncResult } from './upstream-sync';

export type {
  BranchDeletion,
  MaintenanceResult,
  PushNotice,
  RefUpdate,
  RepoStats,
  RepoSummary,
  SourceFetchOutcome,
} from './repo-types';
export type { CommitFilesRequest, CommitFilesResult, CreateTagResult, GitService, ProtocolVersion };

export class RepoObject extends DurableObject<Env> {
  private readonly core: RepoCore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.core = new RepoCore(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      await this.core.adoptHead();
      await recordInterruptedFetch(this.env, ctx.storage.sql, this.core.repoId());
    });
  }

  /** The `info/refs` body for a service. */
  async advertise(service: GitService, version: ProtocolVersion): Promise<Uint8Array> {
    return advertise(this.core, service, version);
  }

  /** `admissionWaitMs` here and below: how long heavy work may wait for room before it is refused
   * as busy (a test server's request may name it; else the object's own wait). */
  async uploadPack(
    body: ReadableStream<Uint8Array>,
    version: ProtocolVersion,
    gzip = false,
    admissionWaitMs?: number,
  ): Promise<ReadableStream<Uint8Array>> {
    return serveUploadPack(this.core, body, version, gzip, admissionWaitMs);
  }

  /** The R2 copies that answer a whole clone of exactly `wants`, or null (see pack-copies.ts). */
  async clonePlan(wants: string[]): Promise<ClonePack[] | null> {
    return this.core.copies.plan(wants, new Set((await this.core.refStore().list()).map((r) => r.oid)));
  }

  /** A push; `notice` names the pusher for the webhooks it triggers, `protection` is the
   * repository's branch rules and the pusher (both from the metadata database). */
  async receivePack(
    body: ReadableStream<Uint8Array>,
    notice?: PushNotice,
    protection?: Protection,
    admissionWaitMs?: number,
  ): Promise<ReadableStream<Uint8Array>> {
    return serveReceivePack(this.core, body, notice, protection, admissionWaitMs);
  }

  /** Pushes to the push mirrors selected (after any run still going), then sets the interval's alarm. */
  async syncPushMirrors(selection: PushMirrorSelection = { kind: 'all' }): Promise<void> {
    return this.core.mirrors.syncPushMirrors(selection);
  }

  /** A pull mirror's interval changed: the next sync one interval from now, or none for 0. */
  async scheduleMirrorSync(intervalSeconds: number): Promise<void> {
    return this.core.mirrors.scheduleMirrorSync(intervalSeconds);
  }

  /** Reads for the web UI and the content API (trees, files, history, diffs, blame, archives). */
  async browse(request: BrowseRequest, admissionWaitMs?: number): Promise<BrowseResult> {
    return browse(this.core, request, admissionWaitMs);
  }

  /** Merges a pull request's head branch into its base branch (see merge.ts). */
  async merge(request: MergeRequest): Promise<MergeResult> {
    const core = this.core;
    const repo = core.repository();
    // Each merge adds a small pack, as a push does.
    await core.scheduleCompaction();
    const result = await runMerge(request, repo.odb, repo.refs, core.packs, repo.cachedPack);
    if (result.kind === 'merged') core.refsMoved();
    return result;
  }

  /**
   * One commit of file changes (the contents API), its ref move published as a push's: through
   * the planner under the branch's rules, then announced to the webhooks as a push by `notice`'s user.
   */
  async commitFiles(request: CommitFilesRequest, notice?: PushNotice): Promise<CommitFilesResult> {
    const core = this.core;
    const repo = core.repository();
    const before = core.headBranchSync();
    if (!(await core.packs.isEmpty())) await core.scheduleCompaction();
    const result = await commitFiles(request, repo.odb, repo.refs, core.packs, repo.cachedPack);
    if (result.kind !== 'committed') return result;
    if (notice)
      core.announcePush(notice, [{ name: result.ref, oldOid: result.oldOid, newOid: result.commit }]);
    await core.syncHeadCopy(before);
    return result;
  }

  /**
   * Deletes a branch (the API's and the pages' way), under the same rules as a push deleting it;
   */
  async deleteBranch(branch: string, protection?: Protection): Promise<BranchDeletion> {
    const repo = this.core.repository();
    const command = { name: `refs/heads/${branch}`, oldOid: ZERO_OID, newOid: ZERO_OID };
    const check = await protectionCheck(repo.odb, [command], protection);
    const [result] = await repo.refs.update([command], { atomic: true, check });
    if (result.ok) {
      this.core.refsMoved();
      return { kind: 'deleted' };
    }
    if (result.code === 'DECLINED') return { kind: 'declined', reason: result.reason };
    return { kind: 'missing' };
  }

  /** Creates the lightweight tag `tag` at `target` (branch, tag or commit; '' for HEAD's branch)
   * unless it exists, through the ref rules a push goes through. */
  async createTag(tag: string, target: string): Promise<CreateTagResult> {
    const repo = this.core.repository();
    return createTag(repo.odb, repo.refs, tag, target);
  }

  /** Whether a head branch would merge cleanly into a base branch now; writes nothing. */
  async mergeability(base: string, head: string): Promise<Mergeability> {
    const repo = this.core.repository();
    return mergeability(repo.odb, repo.refs, base, head, new SqlMergeCheckCache(this.core.sql));
  }

  /** What the repository's summary in the API and the pages needs: the branch HEAD names, and whether any ref exists. */
  async summary(): Promise<RepoSummary> {
    return {
      defaultBranch: this.core.headBranchSync(),
      empty: this.core.isEmptySync(),
      fetch: this.core.mirrors.fetchProgress(),
    };
  }

  override async alarm(): Promise<void> {
    await runAlarm(this.core);
  }

  /** The alarm's work due at `now` (ms), run at once: for admins, and tests with their own clock. */
  async runDue(now: number): Promise<AlarmKind[]> {
    return runDue(this.core, now);
  }

  /** A migration's import continued by the alarm from where it stopped (see repo-import.ts). */
  async scheduleImport(): Promise<void> {
    return scheduleImport(this.core);
  }

  /**
   * Fetches the repository's source (a migration, or a pull mirror's sync) into it; see
   * repo-mirrors.ts. Links in announcements go under `origin` unless the server has one configured.
   */
  async fetchFromSource(origin = ''): Promise<SourceFetchOutcome> {
    return this.core.mirrors.fetchFromSource(origin);
  }

  /**
   * Background maintenance, the alarm's work (also run on demand by admins and tests): compact
   * small packs, repair the cached pack, delete retired packs; deferred while a push is received.
   */
  async maintain(): Promise<MaintenanceResult> {
    return maintain(this.core);
  }

  /** Pack and object counts, for tests and operators. */
  async stats(): Promise<RepoStats> {
    return repoStats(this.core);
  }

  /** Point HEAD at another branch (the repository's default branch changed). */
  async setDefaultBranch(branch: string): Promise<void> {
    const before = this.core.headBranchSync();
    this.core.refStore().setHeadTarget(`refs/heads/${branch}`);
    await this.core.syncHeadCopy(before);
  }

  /** Whether the repository has no refs yet. */
  async isEmpty(): Promise<boolean> {
    return this.core.isEmptySync();
  }

  /** A fork's copy, parent's side: the live packs, refs, HEAD and cached pack at this moment. */
  async forkSnapshot(): Promise<ForkSnapshot> {
    return readForkSnapshot(this.core.sql);
  }

  /** A fork's copy, parent's side: one batch of a pack's stored rows. */
  async forkRows(packId: number, table: ForkTable, fromSeq: number): Promise<RowBatch> {
    return readForkRows(this.core.sql, packId, table, fromSeq);
  }

  /** Make this new, empty repository a copy of repository `parentId`'s git data (see fork-copy.ts). */
  async copyFrom(parentId: number): Promise<ForkCopyResult> {
    return copyFrom(this.core, parentId);
  }

  /** The commit a ref names now, or null. */
  async refTip(name: string): Promise<string | null> {
    return this.core.refStore().get(name);
  }

  /**
   * Point `ref` at commit `oid` of repository `sourceId` (a fork), fetching what this repository
   * lacks of it from the source's object: a thin pack, indexed and checked as a push is.
   */
  async fetchRef(sourceId: number, oid: string, ref: string): Promise<FetchRefResult> {
    return fetchRef(this.core, sourceId, oid, ref);
  }

  /** The base branch compared with commit `tip` of fork `sourceId` (see fork-compare.ts). */
  async compareFork(sourceId: number, tip: string, base: string): Promise<ForkCompareResult> {
    const reads = {
      browse: (r: BrowseRequest) => this.browse(r),
      mergeability: (b: string, h: string) => this.mergeability(b, h),
    };
    const fetch = (oid: string, ref: string) => fetchRef(this.core, sourceId, oid, ref);
    return compareWithFork({ ...reads, refs: this.core.refStore(), fetch }, tip, base);
  }

  /** A fork's branch brought up to `tip`, its parent's branch (see upstream-sync.ts). */
  async syncUpstream(
    parentId: number,
    tip: string,
    request: UpstreamSyncRequest,
  ): Promise<UpstreamSyncResult> {
    return syncUpstream(this.core, parentId, tip, request);
  }

  /** Remove everything this repository stores (called when the repository is deleted). */
  async destroy(): Promise<void> {
    await this.core.wipe();
  }
}
