/**
 * What every part of the repository object shares (see repo-object.ts): its storage, the git
 * repository view the engine works on, HEAD's copy in the metadata database, the alarm schedule
 * and the announcements after refs move.
 */
import { cacheDefaultBranch, findCachedDefaultBranch } from '../db/repos';
import { ObjectDatabase } from '../git/odb';
import { createInflate } from '../git/pack/zlib';
import type { GitRepository } from '../git/protocol/repository';
import type { ReceiveLimits } from '../git/push/receive-objects';
import { Admission, BUDGET_MIB, maxWaitMs, WORK_MIB, walkShareMib } from './admission';
import { AlarmSchedule } from './alarms';
import { SqlCachedPackStore } from './cached-pack';
import { SqlCommitGraph } from './commit-graph';
import { InFlight } from './in-flight';
import { readMeta } from './meta';
import { nativeDeflate } from './native-deflate';
import { nativeCrc32, nativeSha1 } from './native-hash';
import { nativeInflate } from './native-inflate';
import { nativeInflater } from './native-inflater';
import { PackCopies } from './pack-copies';
import { SqlPackStore } from './pack-store';
import { onCommitCount } from './push-mirror-sync';
import { dropOrphanedPendingPacks } from './quarantine';
import { HEAD_KEY, SqlRefStore } from './ref-store';
import { RepoMirrors } from './repo-mirrors';
import type { PushNotice, RefUpdate } from './repo-types';
import { migrate } from './schema';
import { dropSpilledRuns, SqlSpillStore } from './spill-store';

const AGENT = 'gitflare/0.1';

/**
 * HEAD of an object that has none stored and no metadata to adopt (see adoptHead). The ref store
 * never falls back to it once HEAD is written.
 */
const FALLBACK_HEAD_BRANCH = 'main';

/** Quiet time after a push before compaction looks at the packs. */
const COMPACT_DELAY_MS = 60_000;

/**
 * Inflated objects kept while a fetch walks history (the default is 32 MiB): a clone walking
 * 407,000 objects is at the edge of an isolate's memory, and the medium benchmark repository's
 * walk took as long with 8 MiB.
 */
export const WALK_CACHE_BYTES = 8 * 1024 * 1024;

/** A configured limit (Worker vars are strings); unset or invalid means no limit. */
function positiveNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

export class RepoCore {
  packs: SqlPackStore;
  /** Pushes still being received: the alarm's work waits for them. */
  readonly pushes = new InFlight();
  /** Chunks of ids pushes spilled to SQLite since this instance started (see spill-store.ts). */
  spilledChunks = 0;
  /** Memory shares of heavy work (pushes, walks, clones, maintenance): see admission.ts. */
  readonly admission: Admission;
  /** Copies of the cached pack's packs in R2, for clones the Worker streams (see pack-copies.ts). */
  readonly copies: PackCopies;
  /** Push mirror runs and fetches from a migration's or pull mirror's source. */
  readonly mirrors = new RepoMirrors(this);

  constructor(
    readonly ctx: DurableObjectState,
    readonly env: Env,
  ) {
    migrate(ctx.storage.sql);
    this.packs = new SqlPackStore(ctx.storage.sql);
    // `packs` is replaced when the repository's storage is cleared: read through `this`.
    this.admission = new Admission(BUDGET_MIB, maxWaitMs(env.ADMISSION_MAX_WAIT_MS), (work) =>
      work === 'walk' ? walkShareMib(this.packs.storedObjects()) : WORK_MIB[work],
    );
    this.copies = new PackCopies({
      sql: ctx.storage.sql,
      // `packs` is replaced when the repository's storage is cleared.
      packs: { readPackInOrder: (id, at, n) => this.packs.readPackInOrder(id, at, n) },
      bucket: env.BLOBS,
      cached: () => this.cachedPackStore(),
      alarms: () => this.alarms(),
      repoId: () => this.repoId(),
      delayMs: env.PACK_COPY_DELAY_MS,
    });
    // Pushes cut off by the end of a previous instance left packs nobody will publish.
    dropOrphanedPendingPacks(ctx.storage.sql, Date.now());
    dropSpilledRuns(ctx.storage.sql);
  }

  get sql(): SqlStorage {
    return this.ctx.storage.sql;
  }

  /** Removes everything stored; this instance may serve again (a new repository reusing the name). */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    migrate(this.sql);
    this.packs = new SqlPackStore(this.sql);
  }

  refStore(): SqlRefStore {
    return new SqlRefStore(this.sql, this.ctx.storage, this.packs, FALLBACK_HEAD_BRANCH);
  }

  /** The repository's id in the metadata database, from this object's name (`repo:{id}`). */
  repoId(): number | null {
    const m = /^repo:(\d+)$/.exec(this.ctx.id.name ?? '');
    return m ? Number(m[1]) : null;
  }

  /**
   * This object owns HEAD. A new repository (or one stored before the object kept HEAD) has none
   * yet: it adopts the branch the metadata database was given at creation, once.
   */
  async adoptHead(): Promise<void> {
    const id = this.repoId();
    if (readMeta(this.sql, HEAD_KEY) !== null || id === null) return;
    const branch = await findCachedDefaultBranch(this.env.DB, id);
    if (branch) this.refStore().setHeadTarget(`refs/heads/${branch}`);
  }

  /** The metadata database keeps a copy of HEAD's branch for lists of repositories: keep it current. */
  async syncHeadCopy(before: string): Promise<void> {
    const head = this.headBranchSync();
    const id = this.repoId();
    if (head !== before && id !== null) await cacheDefaultBranch(this.env.DB, id, head);
  }

  headBranchSync(): string {
    return this.refStore()
      .headTargetSync()
      .replace(/^refs\/heads\//, '');
  }

  isEmptySync(): boolean {
    return this.sql.exec('SELECT 1 FROM refs LIMIT 1').toArray().length === 0;
  }

  objectDatabase(cacheBytes?: number): ObjectDatabase {
    // Objects read (walks, pages, delta bases) and packs indexed inflate with the runtime's zlib,
    // one stream reused, each object's output sized to it (inflateSync's 16 KiB buffers once ran
    // a push resolving thousands of small deltas out of memory: the "history made of deltas"
    // end-to-end test reproduces it).
    return new ObjectDatabase(this.packs, {
      cacheBytes,
      inflate: nativeInflate(createInflate()),
      createSha1: nativeSha1,
      crc32: nativeCrc32,
      // Indexing (pushes, compaction, the repair) inflates with the runtime's zlib, reused.
      createInflater: nativeInflater,
      // Objects a shallow or filtered fetch sends whole deflate with the runtime's zlib.
      deflate: nativeDeflate,
      commitGraph: new SqlCommitGraph(this.sql),
    });
  }

  /** `admissionWaitMs`: how long its heavy work may wait for room (a test server's request may
   * name it; else the object's own wait). */
  repository(cacheBytes?: number, admissionWaitMs?: number): GitRepository {
    return {
      odb: this.objectDatabase(cacheBytes),
      refs: this.refStore(),
      newPack: async () => this.packs.newReceivedPack(),
      cachedPack: this.cachedPackStore(),
      admit: (work, waiting) => this.admission.enter(work, waiting, admissionWaitMs),
      agent: AGENT,
    };
  }

  cachedPackStore(): SqlCachedPackStore {
    return new SqlCachedPackStore(this.sql, this.packs.index);
  }

  /** The configured limits of what a push (or a fetch indexed as one) may bring. */
  pushLimits(): ReceiveLimits {
    return {
      maxObjectBytes: positiveNumber(this.env.MAX_OBJECT_BYTES),
      maxPushBytes: positiveNumber(this.env.MAX_PUSH_BYTES),
      maxPushObjects: positiveNumber(this.env.MAX_PUSH_OBJECTS),
      spill: (packId) => new SqlSpillStore(this.sql, packId, () => this.spilledChunks++),
      spillIds: positiveNumber(this.env.PUSH_SPILL_IDS),
    };
  }

  alarms(): AlarmSchedule {
    return new AlarmSchedule(this.sql, this.ctx.storage);
  }

  async scheduleCompaction(): Promise<void> {
    await this.alarms().set('compact', Date.now() + (Number(this.env.COMPACT_DELAY_MS) || COMPACT_DELAY_MS));
  }

  /**
   * Hands the moved refs to the repository's webhook queue (src/webhooks/queue-object.ts), which
   * builds and sends the payloads later: the push neither waits for it nor fails with it.
   */
  announcePush(notice: PushNotice, updates: readonly RefUpdate[]): void {
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
  refsMoved(): void {
    // Known to have none (the count is refreshed by every add and delete): no work at all.
    if (onCommitCount(this.sql) === 0) return;
    // A failed run is logged by syncPushMirrors and recorded on each mirror; the push goes on.
    this.ctx.waitUntil(this.mirrors.syncPushMirrors({ kind: 'on-commit' }).catch(() => undefined));
    // A layer may have formed: its packs are copied to R2 a little later (see pack-copies.ts).
    this.ctx.waitUntil(this.copies.schedule());
  }
}
