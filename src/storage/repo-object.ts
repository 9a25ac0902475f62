/**
 * One repository: a thin RPC shell over the git engine, with its packs, object index and refs in
 * this Durable Object's SQLite. Every operation on the repository's git data goes through here.
 */
import { DurableObject } from 'cloudflare:workers';
import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { cacheDefaultBranch, findCachedDefaultBranch, findRepoById } from '../db/repos';
import { type BrowseRequest, type BrowseResult, runBrowse } from '../git/browse/run';
import { type CommitFilesRequest, type CommitFilesResult, commitFiles } from '../git/edit/commit-files';
import {
  type Mergeability,
  type MergeRequest,
  type MergeResult,
  mergeability,
  runMerge,
} from '../git/merge/merge-refs';
import { ObjectDatabase } from '../git/odb';
import { type Protection, protectionCheck } from '../git/protect/guard';
import { advertiseRefs } from '../git/protocol/advertise';
import { PROTOCOL_LIMITS, requestTooLarge } from '../git/protocol/limits';
import { receivePack } from '../git/protocol/receive-pack';
import type { GitRepository, GitService, ProtocolVersion } from '../git/protocol/repository';
import { uploadPack } from '../git/protocol/upload-pack';
import { type CreateTagResult, createTag } from '../git/refs/create-tag';
import type { Sha1 } from '../git/sha1';
import { ZERO_OID } from '../git/store';
import { Admission, type AdmissionState } from './admission';
import { AlarmSchedule } from './alarms';
import { readBody } from './body-stream';
import { SqlCachedPackStore } from './cached-pack';
import { rebuildCachedPack } from './cached-pack-rebuild';
import { SqlCommitGraph } from './commit-graph';
import { type CompactionResult, compact, dropRetiredPacks, RETIRED_GRACE_MS } from './compaction';
import {
  copyFork,
  type ForkCopyResult,
  type ForkSnapshot,
  type ForkTable,
  type RowBatch,
  readForkRows,
  readForkSnapshot,
} from './fork-copy';
import { InFlight } from './in-flight';
import { inflateUpload } from './inflate-body';
import { SqlMergeCheckCache } from './merge-check-cache';
import { forEachDistinct } from './pack-index';
import { SqlPackStore } from './pack-store';
import { type FetchRefResult, fetchRefFrom } from './pull-head';
import { type PushMirrorSelection, pushToMirrors } from './push-mirror-sync';
import { dropOrphanedPendingPacks } from './quarantine';
import { HEAD_KEY, SqlRefStore } from './ref-store';
import { migrate } from './schema';
import { fetchSource, recordInterruptedFetch } from './source-fetch';
import { syncFromUpstream, type UpstreamSyncRequest, type UpstreamSyncResult } from './upstream-sync';

export type { CommitFilesRequest, CommitFilesResult, CreateTagResult, GitService, ProtocolVersion };

/**
 * HEAD of an object that has none stored and no metadata to adopt (see adoptHead). The ref store
 * never falls back to it once HEAD is written.
 */
const FALLBACK_HEAD_BRANCH = 'main';

/**
 * Refs only the server moves: a pull request's head from a fork (storage/pull-head.ts), a fork's
 * sync in progress (upstream-sync.ts). Pushes
 * cannot update them and receive-pack does not show them (so `git push --mirror` leaves them);
 * fetches still see them, as on GitHub.
 */
const PUSH_HIDDEN_REFS = ['refs/pull/', 'refs/sync/'];

/** Pack and object counts, for tests and operators. */
export interface RepoStats {
  readonly livePacks: number;
  readonly retiredPacks: number;
  readonly objects: number;
  readonly bytes: number;
  /** The cached pack's layers: packs and objects of each (whole clones stream them). */
  readonly cachedPack: { packs: number; objects: number }[];
  /** Merge checks kept by commit pair, and checks computed in all. */
  readonly mergeChecks: { cached: number; computed: number };
  /** Heavy work running and waiting now (see admission.ts). */
  readonly admission: AdmissionState;
}

export type BranchDeletion =
  | { readonly kind: 'deleted' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'declined'; readonly reason: string };

export type MaintenanceResult = CompactionResult | { kind: 'deferred' };

/** Who pushed and the public origin, so that the ref updates can be announced to webhooks. */
export interface PushNotice {
  readonly pusherId: number;
  readonly origin: string;
}

/** A ref a push moved (ids of 40 zeros for a created or deleted ref). */
export interface RefUpdate {
  readonly name: string;
  readonly oldOid: string;
  readonly newOid: string;
}

export interface RepoSummary {
  /** The branch HEAD names (it may not exist yet). */
  readonly defaultBranch: string;
  /** No ref exists yet. */
  readonly empty: boolean;
}

const AGENT = 'gitflare/0.1';
/** Quiet time after a push before compaction looks at the packs. */
const COMPACT_DELAY_MS = 60_000;

/**
 * SHA-1 from the runtime (BoringSSL): many times faster than hashing in JavaScript. A class,
 * so that the one made per object is one allocation rather than an object and three closures.
 */
class NativeSha1 implements Sha1 {
  private readonly h = createHash('sha1');

  update(bytes: Uint8Array): void {
    this.h.update(bytes);
  }

  digest(): Uint8Array {
    const d = this.h.digest();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }

  /** Hex straight from the runtime: a Buffer per digest cost more than the hashing of most objects. */
  digestHex(): string {
    return this.h.digest('hex');
  }
}

const nativeSha1 = (): Sha1 => new NativeSha1();

/** CRC-32 from the runtime's zlib: native, where the JavaScript one was a visible cost of a push. */
function nativeCrc32(crc: number, bytes: Uint8Array): number {
  return zlibCrc32(bytes, crc);
}

/** A configured limit (Worker vars are strings); unset or invalid means no limit. */
function positiveNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Inflated objects kept while a fetch walks history (the default is 32 MiB): a clone walking
 * 407,000 objects is at the edge of an isolate's memory, and the medium benchmark repository's
 * walk took as long with 8 MiB.
 */
const WALK_CACHE_BYTES = 8 * 1024 * 1024;

export class RepoObject extends DurableObject<Env> {
  private packs: SqlPackStore;
  /** Pushes still being received: the alarm's work waits for them. */
  private readonly pushes = new InFlight();
  /** Memory shares of heavy work (pushes, walks, clones, maintenance): see admission.ts. */
  private readonly admission = new Admission();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql);
    this.packs = new SqlPackStore(ctx.storage.sql);
    // Pushes cut off by the end of a previous instance left packs nobody will publish.
    dropOrphanedPendingPacks(ctx.storage.sql, Date.now());
    void ctx.blockConcurrencyWhile(async () => {
      await this.adoptHead();
      await recordInterruptedFetch(this.env, ctx.storage.sql, this.repoId());
    });
  }

  private refStore(): SqlRefStore {
    return new SqlRefStore(this.ctx.storage.sql, this.ctx.storage, this.packs, FALLBACK_HEAD_BRANCH);
  }

  /** The repository's id in the metadata database, from this object's name (`repo:{id}`). */
  private repoId(): number | null {
    const m = /^repo:(\d+)$/.exec(this.ctx.id.name ?? '');
    return m ? Number(m[1]) : null;
  }

  /**
   * This object owns HEAD. A new repository (or one stored before the object kept HEAD) has none
   * yet: it adopts the branch the metadata database was given at creation, once.
   */
  private async adoptHead(): Promise<void> {
    const stored = this.ctx.storage.sql.exec('SELECT 1 FROM meta WHERE key = ?', HEAD_KEY).toArray();
    const id = this.repoId();
    if (stored.length > 0 || id === null) return;
    const branch = await findCachedDefaultBranch(this.env.DB, id);
    if (branch) this.refStore().setHeadTarget(`refs/heads/${branch}`);
  }

  /** The metadata database keeps a copy of HEAD's branch for lists of repositories: keep it current. */
  private async syncHeadCopy(before: string): Promise<void> {
    const head = this.headBranchSync();
    const id = this.repoId();
    if (head !== before && id !== null) await cacheDefaultBranch(this.env.DB, id, head);
  }

  private headBranchSync(): string {
    return this.refStore()
      .headTargetSync()
      .replace(/^refs\/heads\//, '');
  }

  private objectDatabase(cacheBytes?: number): ObjectDatabase {
    // Inflate stays the engine's (one reused JavaScript inflater). With the runtime's inflateSync
    // a push resolving a few thousand small deltas ran the isolate out of its 128 MB (the "history
    // made of deltas" end-to-end test reproduces it); the JavaScript one stays bounded.
    return new ObjectDatabase(this.packs, {
      cacheBytes,
      createSha1: nativeSha1,
      crc32: nativeCrc32,
      commitGraph: new SqlCommitGraph(this.ctx.storage.sql),
    });
  }

  private repository(cacheBytes?: number): GitRepository {
    return {
      odb: this.objectDatabase(cacheBytes),
      refs: this.refStore(),
      newPack: async () => this.packs.newPack(),
      cachedPack: this.cachedPackStore(),
      admit: (work, waiting) => this.admission.enter(work, waiting),
      agent: AGENT,
    };
  }

  private cachedPackStore(): SqlCachedPackStore {
    return new SqlCachedPackStore(this.ctx.storage.sql, this.packs.index);
  }

  /** The `info/refs` body for a service. */
  async advertise(service: GitService, version: ProtocolVersion): Promise<Uint8Array> {
    return advertiseRefs(service, this.repository(), { version, hiddenRefs: PUSH_HIDDEN_REFS });
  }

  async uploadPack(
    body: ReadableStream<Uint8Array>,
    version: ProtocolVersion,
    gzip = false,
  ): Promise<ReadableStream<Uint8Array>> {
    const request = gzip ? inflateUpload(body, PROTOCOL_LIMITS.requestBytes, requestTooLarge()) : body;
    return uploadPack(readBody(request), this.repository(WALK_CACHE_BYTES), { version });
  }

  /** A push; `notice` names the pusher for the webhooks it triggers, `protection` is the
   * repository's branch rules and the pusher (both from the metadata database). */
  async receivePack(
    body: ReadableStream<Uint8Array>,
    notice?: PushNotice,
    protection?: Protection,
  ): Promise<ReadableStream<Uint8Array>> {
    // Pushes add packs; look at compacting them a little after the pushing has calmed down. The
    // first push leaves a single pack with nothing to merge into, so it schedules no work.
    if (!(await this.packs.isEmpty())) await this.scheduleCompaction();
    const response = receivePack(readBody(body), this.repository(), {
      maxObjectBytes: positiveNumber(this.env.MAX_OBJECT_BYTES),
      maxPushBytes: positiveNumber(this.env.MAX_PUSH_BYTES),
      maxPushObjects: positiveNumber(this.env.MAX_PUSH_OBJECTS),
      onRefsUpdated: (updates) => {
        if (notice) this.announcePush(notice, updates);
        this.refsMoved();
      },
      protection,
      hiddenRefs: PUSH_HIDDEN_REFS,
    });
    // The first push into an empty repository may move HEAD (to the first branch it creates).
    const before = this.headBranchSync();
    const followHead = new TransformStream<Uint8Array, Uint8Array>({
      flush: () => this.syncHeadCopy(before),
    });
    return this.pushes.track(response.pipeThrough(followHead));
  }

  /**
   * Hands the moved refs to the repository's webhook queue (src/webhooks/queue-object.ts), which
   * builds and sends the payloads later: the push neither waits for it nor fails with it.
   */
  private announcePush(notice: PushNotice, updates: readonly RefUpdate[]): void {
    const repoId = this.repoId();
    if (repoId === null) return;
    const queue = this.env.HOOKS.get(this.env.HOOKS.idFromName(`hooks:${repoId}`));
    const list = updates.map(({ name, oldOid, newOid }) => ({ name, oldOid, newOid }));
    this.ctx.waitUntil(
      queue.pushed({ repoId, ...notice, updates: list }).catch((e: unknown) => {
        console.error('webhooks: could not queue the push', e);
      }),
    );
  }

  /** The refs moved (a push, a merge, a pull mirror's sync): push mirrors synced on commit follow, in the background. */
  private refsMoved(): void {
    // A failed run is logged by syncPushMirrors and recorded on each mirror; the push goes on.
    this.ctx.waitUntil(this.syncPushMirrors({ kind: 'on-commit' }).catch(() => undefined));
  }

  /** Push mirror runs, one after another, so that a remote sees the repository's states in order. */
  private pushMirrorRuns: Promise<void> = Promise.resolve();

  /** Pushes to the push mirrors selected (after any run still going), then sets the interval's alarm. */
  async syncPushMirrors(selection: PushMirrorSelection = { kind: 'all' }): Promise<void> {
    const id = this.repoId();
    if (id === null) return;
    const run = this.pushMirrorRuns.then(async () => {
      const ctx = { env: this.env, repoId: id, repo: this.repository(), agent: AGENT };
      const next = await pushToMirrors(ctx, selection);
      if (next === null) await this.alarms().clear('push_mirror');
      else await this.alarms().set('push_mirror', Math.max(next, Date.now() + 1000));
    });
    this.pushMirrorRuns = run.catch((e: unknown) => console.error('push mirrors', e));
    await run;
  }

  /** A mirror's sync as the owner's push, for the webhooks and the pull requests it moves. */
  private async announceSync(id: number, origin: string, updates: readonly RefUpdate[]): Promise<void> {
    const repo = await findRepoById(this.env.DB, id);
    if (!repo) return;
    const base = this.env.BETTER_AUTH_URL?.replace(/\/+$/, '') || origin;
    this.announcePush({ pusherId: repo.ownerId, origin: base }, updates);
  }

  /** Reads for the web UI and the content API (trees, files, history, diffs, blame, archives). */
  async browse(request: BrowseRequest): Promise<BrowseResult> {
    const repo = this.repository();
    return runBrowse(request, repo.odb, repo.refs);
  }

  /** Merges a pull request's head branch into its base branch (see merge.ts). */
  async merge(request: MergeRequest): Promise<MergeResult> {
    const repo = this.repository();
    // Each merge adds a small pack, as a push does.
    await this.scheduleCompaction();
    const result = await runMerge(request, repo.odb, repo.refs, this.packs, repo.cachedPack);
    if (result.kind === 'merged') this.refsMoved();
    return result;
  }

  /**
   * One commit of file changes (the contents API), its ref move published as a push's: through
   * the planner under the branch's rules, then announced to the webhooks as a push by `notice`'s user.
   */
  async commitFiles(request: CommitFilesRequest, notice?: PushNotice): Promise<CommitFilesResult> {
    const repo = this.repository();
    const before = this.headBranchSync();
    if (!(await this.packs.isEmpty())) await this.scheduleCompaction();
    const result = await commitFiles(request, repo.odb, repo.refs, this.packs, repo.cachedPack);
    if (result.kind !== 'committed') return result;
    if (notice)
      this.announcePush(notice, [{ name: result.ref, oldOid: result.oldOid, newOid: result.commit }]);
    await this.syncHeadCopy(before);
    return result;
  }

  /**
   * Deletes a branch (the API's and the pages' way), under the same rules as a push deleting it;
   */
  async deleteBranch(branch: string, protection?: Protection): Promise<BranchDeletion> {
    const repo = this.repository();
    const command = { name: `refs/heads/${branch}`, oldOid: ZERO_OID, newOid: ZERO_OID };
    const check = await protectionCheck(repo.odb, [command], protection);
    const [result] = await repo.refs.update([command], { atomic: true, check });
    if (result.ok) {
      this.refsMoved();
      return { kind: 'deleted' };
    }
    if (result.code === 'DECLINED') return { kind: 'declined', reason: result.reason };
    return { kind: 'missing' };
  }

  /** Creates the lightweight tag `tag` at `target` (branch, tag or commit; '' for HEAD's branch)
   * unless it exists, through the ref rules a push goes through. */
  async createTag(tag: string, target: string): Promise<CreateTagResult> {
    const repo = this.repository();
    return createTag(repo.odb, repo.refs, tag, target);
  }

  /** Whether a head branch would merge cleanly into a base branch now; writes nothing. */
  async mergeability(base: string, head: string): Promise<Mergeability> {
    const repo = this.repository();
    return mergeability(repo.odb, repo.refs, base, head, new SqlMergeCheckCache(this.ctx.storage.sql));
  }

  /** What the repository's summary in the API and the pages needs: the branch HEAD names, and whether any ref exists. */
  async summary(): Promise<RepoSummary> {
    return { defaultBranch: this.headBranchSync(), empty: this.isEmptySync() };
  }

  private alarms(): AlarmSchedule {
    return new AlarmSchedule(this.ctx.storage.sql, this.ctx.storage);
  }

  private async scheduleCompaction(): Promise<void> {
    await this.alarms().set('compact', Date.now() + (Number(this.env.COMPACT_DELAY_MS) || COMPACT_DELAY_MS));
  }

  override async alarm(): Promise<void> {
    const alarms = this.alarms();
    for (const kind of alarms.takeDue(Date.now())) {
      if (kind === 'compact') await this.maintain();
      else if (kind === 'push_mirror') await this.syncPushMirrors({ kind: 'due', now: Date.now() });
      else await this.fetchFromSource();
    }
    await alarms.rearm();
  }

  /** Whether a fetch from the source (migration, mirror sync) is running in this instance. */
  private fetching = false;

  /**
   * Fetches the repository's source (a migration, or a pull mirror's sync) into it, recording the
   * outcome on the repository; a mirror's next sync is scheduled after it. A sync into a filled
   * repository announces the refs it moved as a push by the owner does (webhooks, pull requests),
   * with links under `origin` (the server's configured origin wins).
   */
  async fetchFromSource(origin = ''): Promise<{ ok: true } | { ok: false; message: string }> {
    const id = this.repoId();
    if (id === null) return { ok: false, message: 'not a repository' };
    if (this.fetching || this.pushes.busy)
      return { ok: false, message: 'a fetch or push is in progress; try again later' };
    this.fetching = true;
    let release = (): void => undefined;
    try {
      // The fetched pack is indexed as a push's is: it waits for room as a push does.
      release = await this.admission.enter('push');
      const wasEmpty = await this.packs.isEmpty();
      const before = this.headBranchSync();
      const outcome = await fetchSource({
        env: this.env,
        sql: this.ctx.storage.sql,
        repoId: id,
        repo: this.repository(),
        agent: AGENT,
        limits: {
          maxObjectBytes: positiveNumber(this.env.MAX_OBJECT_BYTES),
          maxPushObjects: positiveNumber(this.env.MAX_PUSH_OBJECTS),
        },
      });
      const mirror = outcome.mirror;
      if (mirror?.mirror && mirror.intervalSeconds > 0) {
        await this.alarms().set('mirror', Date.now() + mirror.intervalSeconds * 1000);
      }
      if (!outcome.ok) return { ok: false, message: outcome.message };
      const head = outcome.result.head;
      if (head?.startsWith('refs/heads/') && head !== this.refStore().headTargetSync()) {
        this.refStore().setHeadTarget(head);
      }
      await this.syncHeadCopy(before);
      if (outcome.result.updated.length > 0) {
        this.refsMoved();
        if (!wasEmpty) await this.announceSync(id, origin, outcome.result.updated);
      }
      if (!wasEmpty && outcome.result.packBytes > 0) await this.scheduleCompaction();
      return { ok: true };
    } finally {
      release();
      this.fetching = false;
    }
  }

  /**
   * Background maintenance, the alarm's work (also run on demand by admins and tests): compact
   * small packs, repair the cached pack, delete retired packs. Deferred (to the alarm, later) while
   * a push is still being received: see InFlight.
   */
  async maintain(): Promise<MaintenanceResult> {
    const release = this.pushes.busy ? null : this.admission.tryEnter('maintain');
    if (release === null) {
      await this.scheduleCompaction();
      return { kind: 'deferred' };
    }
    try {
      return await this.compactNow();
    } finally {
      release();
    }
  }

  /** Compact, repair the cached pack, and schedule the deletion of retired packs. */
  private async compactNow(): Promise<CompactionResult> {
    const cached = this.cachedPackStore();
    const result = await compact(
      this.ctx.storage.sql,
      this.ctx.storage,
      this.packs,
      this.objectDatabase(),
      cached,
    );
    // Then the cached pack is caught up with the refs, if a clone would have to walk.
    const repo = this.repository(WALK_CACHE_BYTES);
    await rebuildCachedPack(this.ctx.storage, this.packs, repo, cached);
    const waiting = dropRetiredPacks(this.ctx.storage.sql);
    if (waiting > 0) await this.alarms().set('compact', Date.now() + RETIRED_GRACE_MS);
    return result;
  }

  /** Pack and object counts, for tests and operators. */
  async stats(): Promise<RepoStats> {
    const sql = this.ctx.storage.sql;
    const packs = sql
      .exec<{ state: string; n: number; bytes: number }>(
        'SELECT state, COUNT(*) AS n, SUM(size) AS bytes FROM packs GROUP BY state',
      )
      .toArray();
    const live = packs.find((p) => p.state === 'live');
    let objects = 0;
    forEachDistinct(this.packs.index, this.packs.livePacks(), () => {
      objects += 1;
    });
    return {
      livePacks: live?.n ?? 0,
      retiredPacks: packs.find((p) => p.state === 'retired')?.n ?? 0,
      objects,
      bytes: live?.bytes ?? 0,
      cachedPack: (await this.cachedPackStore().get()).map((l) => ({
        packs: l.packs.length,
        objects: l.objectCount,
      })),
      mergeChecks: new SqlMergeCheckCache(sql).stats(),
      admission: this.admission.state(),
    };
  }

  /** Point HEAD at another branch (the repository's default branch changed). */
  async setDefaultBranch(branch: string): Promise<void> {
    const before = this.headBranchSync();
    this.refStore().setHeadTarget(`refs/heads/${branch}`);
    await this.syncHeadCopy(before);
  }

  /** Whether the repository has no refs yet. */
  async isEmpty(): Promise<boolean> {
    return this.isEmptySync();
  }

  private isEmptySync(): boolean {
    return this.ctx.storage.sql.exec('SELECT 1 FROM refs LIMIT 1').toArray().length === 0;
  }

  /** A fork's copy, parent's side: the live packs, refs, HEAD and cached pack at this moment. */
  async forkSnapshot(): Promise<ForkSnapshot> {
    return readForkSnapshot(this.ctx.storage.sql);
  }

  /** A fork's copy, parent's side: one batch of a pack's stored rows. */
  async forkRows(packId: number, table: ForkTable, fromSeq: number): Promise<RowBatch> {
    return readForkRows(this.ctx.storage.sql, packId, table, fromSeq);
  }

  /** Make this new, empty repository a copy of repository `parentId`'s git data (see fork-copy.ts). */
  async copyFrom(parentId: number): Promise<ForkCopyResult> {
    const parent = this.env.REPO.get(this.env.REPO.idFromName(`repo:${parentId}`));
    try {
      return await copyFork(this.ctx.storage.sql, this.ctx.storage, {
        snapshot: () => parent.forkSnapshot(),
        rows: (packId, table, fromSeq) => parent.forkRows(packId, table, fromSeq),
      });
    } finally {
      this.packs.forgetLivePacks();
      this.packs.dropCaches();
    }
  }

  /** The commit a ref names now, or null. */
  async refTip(name: string): Promise<string | null> {
    return this.refStore().get(name);
  }

  /**
   * Point `ref` at commit `oid` of repository `sourceId` (a fork), fetching what this repository
   * lacks of it from the source's object: a thin pack, indexed and checked as a push is.
   */
  async fetchRef(sourceId: number, oid: string, ref: string): Promise<FetchRefResult> {
    const source = this.env.REPO.get(this.env.REPO.idFromName(`repo:${sourceId}`));
    const refs = this.refStore();
    return fetchRefFrom(
      {
        tips: () => refs.listSync(['refs/heads/', 'refs/tags/']).map((r) => r.oid),
        has: (id) => this.packs.lookupSync(id) !== null,
        setRef: async (id) => {
          const [r] = await refs.update([{ name: ref, oldOid: refs.get(ref) ?? ZERO_OID, newOid: id }], {
            atomic: true,
          });
          return r.ok ? null : r.reason;
        },
        current: () => refs.get(ref),
        receive: (body) =>
          receivePack(body, this.repository(), {
            maxObjectBytes: positiveNumber(this.env.MAX_OBJECT_BYTES),
            maxPushBytes: positiveNumber(this.env.MAX_PUSH_BYTES),
            maxPushObjects: positiveNumber(this.env.MAX_PUSH_OBJECTS),
          }),
      },
      (body) => source.uploadPack(body, 2),
      oid,
      ref,
    );
  }

  /** A fork's branch brought up to `tip`, its parent's branch (see upstream-sync.ts). */
  async syncUpstream(
    parentId: number,
    tip: string,
    request: UpstreamSyncRequest,
  ): Promise<UpstreamSyncResult> {
    const repo = this.repository();
    // Each merge adds a small pack, as a push does.
    await this.scheduleCompaction();
    return syncFromUpstream(
      {
        ...repo,
        packs: this.packs,
        cachedPack: repo.cachedPack,
        fetch: (oid, ref) => this.fetchRef(parentId, oid, ref),
      },
      tip,
      request,
    );
  }

  /** Remove everything this repository stores (called when the repository is deleted). */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // This instance may serve again (a new repository reusing the name): start from a clean slate.
    migrate(this.ctx.storage.sql);
    this.packs = new SqlPackStore(this.ctx.storage.sql);
  }
}
