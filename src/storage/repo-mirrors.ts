/**
 * The repository object's mirrors: pushes to its push mirrors, one run after another, and fetches
 * from its source (a migration, a pull mirror's sync; a Gitea-service migration's import is then
 * scheduled on the alarm, see repo-import.ts).
 */
import { findRepoById } from '../db/repos';
import type { FetchPackProgress } from '../git/fetch/fetch';
import { BusyError } from './admission';
import { type PushMirrorSelection, pushToMirrors } from './push-mirror-sync';
import type { RepoCore } from './repo-core';
import { scheduleImport } from './repo-import';
import type { RefUpdate, SourceFetchOutcome } from './repo-types';
import { fetchSource } from './source-fetch';

export class RepoMirrors {
  /** Push mirror runs, one after another, so that a remote sees the repository's states in order. */
  private pushMirrorRuns: Promise<void> = Promise.resolve();
  /** Whether a fetch from the source (migration, mirror sync) is running in this instance. */
  private fetching = false;
  /** How far the running fetch's pack has come (shown on the repository page while it runs). */
  private packProgress: FetchPackProgress | null = null;

  constructor(private readonly core: RepoCore) {}

  /** Pushes to the push mirrors selected (after any run still going), then sets the interval's alarm. */
  async syncPushMirrors(selection: PushMirrorSelection = { kind: 'all' }): Promise<void> {
    const core = this.core;
    const id = core.repoId();
    if (id === null) return;
    const run = this.pushMirrorRuns.then(async () => {
      const repo = core.repository();
      const ctx = { env: core.env, sql: core.sql, repoId: id, repo, agent: repo.agent };
      const next = await pushToMirrors(ctx, selection);
      if (next === null) await core.alarms().clear('push_mirror');
      else await core.alarms().set('push_mirror', Math.max(next, Date.now() + 1000));
    });
    this.pushMirrorRuns = run.catch((e: unknown) => console.error('push mirrors', e));
    await run;
  }

  /** The running fetch's pack so far, or null when none is being received. */
  fetchProgress(): FetchPackProgress | null {
    return this.packProgress;
  }

  /** A pull mirror's interval changed: the next sync one interval from now, or none for 0. */
  async scheduleMirrorSync(intervalSeconds: number): Promise<void> {
    if (intervalSeconds > 0) await this.core.alarms().set('mirror', Date.now() + intervalSeconds * 1000);
    else await this.core.alarms().clear('mirror');
  }

  /**
   * Fetches the repository's source (a migration, or a pull mirror's sync) into it, recording the
   * outcome on the repository; a mirror's next sync is scheduled after it. A sync into a filled
   * repository announces the refs it moved as a push by the owner does (webhooks, pull requests),
   * with links under `origin` (the server's configured origin wins).
   */
  async fetchFromSource(origin = ''): Promise<SourceFetchOutcome> {
    const core = this.core;
    const id = core.repoId();
    if (id === null) return { ok: false, message: 'not a repository' };
    if (this.fetching || core.pushes.busy)
      return { ok: false, busy: true, message: 'a fetch or push is in progress; try again later' };
    this.fetching = true;
    let release = (): void => undefined;
    try {
      // The fetched pack is indexed as a push's is: it waits for room as a push does.
      try {
        release = await core.admission.enter('push');
      } catch (e) {
        if (e instanceof BusyError) return { ok: false, busy: true, message: e.message };
        throw e;
      }
      const wasEmpty = await core.packs.isEmpty();
      const before = core.headBranchSync();
      const { maxObjectBytes, maxPushObjects } = core.pushLimits();
      const repo = core.repository();
      const outcome = await fetchSource({
        env: core.env,
        sql: core.sql,
        repoId: id,
        repo,
        agent: repo.agent,
        limits: { maxObjectBytes, maxPushObjects },
        onPack: (p) => {
          this.packProgress = p;
        },
      });
      const mirror = outcome.mirror;
      if (mirror?.mirror && mirror.intervalSeconds > 0) {
        await core.alarms().set('mirror', Date.now() + mirror.intervalSeconds * 1000);
      }
      if (!outcome.ok) return { ok: false, message: outcome.message };
      if (outcome.importPending) await scheduleImport(core);
      const head = outcome.result.head;
      if (head?.startsWith('refs/heads/') && head !== core.refStore().headTargetSync()) {
        core.refStore().setHeadTarget(head);
      }
      await core.syncHeadCopy(before);
      if (outcome.result.updated.length > 0) {
        core.refsMoved();
        if (!wasEmpty) await this.announceSync(id, origin, outcome.result.updated);
      }
      if (!wasEmpty && outcome.result.packBytes > 0) await core.scheduleCompaction();
      return { ok: true };
    } finally {
      release();
      this.fetching = false;
      this.packProgress = null;
    }
  }

  /** A mirror's sync as the owner's push, for the webhooks and the pull requests it moves. */
  private async announceSync(id: number, origin: string, updates: readonly RefUpdate[]): Promise<void> {
    const repo = await findRepoById(this.core.env.DB, id);
    if (!repo) return;
    const base = this.core.env.BETTER_AUTH_URL?.replace(/\/+$/, '') || origin;
    this.core.announcePush({ pusherId: repo.ownerId, origin: base }, updates);
  }
}
