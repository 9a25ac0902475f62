/**
 * Copies of the cached pack's stored packs in R2, so that the Worker streams whole clones without
 * the repository's object (src/http/worker-clone.ts). A pack that is part of a live layer is copied
 * as stored (its file, header to trailer) under `packs/{repoId}/{packId}-{random}`: a key is never
 * written twice, so a reader never sees it change. The copying runs on the object's alarm, off the
 * push's path, one pack at a time in bounded memory (R2 parts of 5 MiB); a copy cut short is
 * started again on the next run (a multipart upload that did not complete leaves nothing). Which
 * packs are copied is one record in `meta`. A copy whose pack left the layers (compaction, the
 * repair) is deleted COPY_GRACE_MS later, so that clones already streaming it can finish; a deleted
 * repository's copies are swept with its other R2 prefixes.
 */
import { isExactly } from '../git/cached-pack/clone';
import type { Oid } from '../git/store';
import type { AlarmSchedule } from './alarms';
import { putStream } from './blob-put';
import type { SqlCachedPackStore } from './cached-pack';
import { readMeta, writeMeta } from './meta';
import type { SqlPackStore } from './pack-store';

declare global {
  interface Env {
    /** How long after refs move the packs are copied to R2, in ms (default 5 s; tests hold it back). */
    readonly PACK_COPY_DELAY_MS?: string;
  }
}

const KEY = 'pack_copies';
const DEFAULT_DELAY_MS = 5_000;
/**
 * A retired copy stays this long: a clone reads its plan's keys from the start of its answer to
 * the end, which for the 300 MiB benchmark repository is ~10 s; an hour leaves room for slow links.
 */
export const COPY_GRACE_MS = 60 * 60 * 1000;
/** Read size while copying: one stored row. */
const SLICE = 64 * 1024;

interface CopyRecord {
  /** Pack id → its copy's key. */
  copied: Record<string, string>;
  /** Copies of packs no longer in a layer, and since when. */
  retired: { key: string; since: number }[];
  /** Clones answered with copies (streamed by the Worker); absent in records written before it was counted. */
  served?: number;
}

/** One stored pack of a clone served from R2. */
export interface ClonePack {
  readonly key: string;
  readonly size: number;
  readonly objectCount: number;
}

export interface CopyDeps {
  readonly sql: SqlStorage;
  readonly packs: Pick<SqlPackStore, 'readPackInOrder'>;
  readonly bucket: R2Bucket;
  readonly cached: () => SqlCachedPackStore;
  readonly alarms: () => AlarmSchedule;
  readonly repoId: () => number | null;
  readonly delayMs: string | undefined;
}

export function packCopyPrefix(repoId: number): string {
  return `packs/${repoId}/`;
}

export class PackCopies {
  private running: Promise<void> | null = null;

  constructor(private readonly deps: CopyDeps) {}

  /** Copy the layers' packs after the configured delay (refs moved: a layer may have formed). */
  async schedule(): Promise<void> {
    const n = Number(this.deps.delayMs);
    const delay = this.deps.delayMs && Number.isFinite(n) && n >= 0 ? n : DEFAULT_DELAY_MS;
    await this.deps.alarms().set('pack_copy', Date.now() + delay);
  }

  /**
   * The stored packs in R2 that answer a clone of exactly `wants`, or null (the object answers):
   * the wants must be the newest layer's tips, each a ref's value now, and every pack of the
   * layer copied. A layer not copied yet gets its copy scheduled.
   */
  async plan(wants: readonly Oid[], refOids: ReadonlySet<Oid>): Promise<ClonePack[] | null> {
    const last = (await this.deps.cached().get()).at(-1);
    const wanted = new Set(wants);
    if (last === undefined || !isExactly(last, wanted) || wants.some((w) => !refOids.has(w))) return null;
    const record = this.record();
    const packs: ClonePack[] = [];
    for (const p of last.packs) {
      const key = record.copied[p.packId];
      if (key === undefined) {
        await this.schedule();
        return null;
      }
      packs.push({ key, size: p.size, objectCount: p.objectCount });
    }
    // Kept in storage: an instance restarted (its isolate reset) still counts what it served.
    record.served = (record.served ?? 0) + 1;
    this.write(record);
    return packs;
  }

  /** Copies made and waiting for deletion, and clones served from them. */
  stats(): { copied: number; retiring: number; served: number } {
    const r = this.record();
    return { copied: Object.keys(r.copied).length, retiring: r.retired.length, served: r.served ?? 0 };
  }

  /** Copy what is missing, retire what left the layers, delete what is past its grace (one run at a time). */
  async run(admit: () => Promise<() => void>): Promise<void> {
    this.running ??= this.copyAndRetire(admit).finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private async copyAndRetire(admit: () => Promise<() => void>): Promise<void> {
    const repoId = this.deps.repoId();
    if (repoId === null) return;
    const release = await admit();
    try {
      for (const packId of this.layerPacks()) {
        if (this.record().copied[packId] !== undefined) continue;
        const key = await this.copy(repoId, packId);
        if (key === null) continue;
        const record = this.record();
        record.copied[packId] = key;
        this.write(record);
      }
    } finally {
      release();
    }
    await this.retire();
  }

  /** One pack's file to a new key; null when the pack went away meanwhile. */
  private async copy(repoId: number, packId: number): Promise<string | null> {
    const size = this.packSize(packId);
    if (size === null) return null;
    const key = `${packCopyPrefix(repoId)}${packId}-${crypto.randomUUID().slice(0, 8)}`;
    const packs = this.deps.packs;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset >= size) return controller.close();
        const length = Math.min(SLICE, size - offset);
        controller.enqueue(await packs.readPackInOrder(packId, offset, length));
        offset += length;
      },
    });
    const put = await putStream(this.deps.bucket, key, body, { maxBytes: size });
    return put.kind === 'stored' && put.size === size ? key : null;
  }

  /** Copies of packs out of the layers start their grace; those past it are deleted. */
  private async retire(now = Date.now()): Promise<void> {
    const inLayers = new Set(this.layerPacks().map(String));
    const record = this.record();
    for (const [packId, key] of Object.entries(record.copied)) {
      if (inLayers.has(packId)) continue;
      delete record.copied[packId];
      record.retired.push({ key, since: now });
    }
    const due = record.retired.filter((r) => r.since + COPY_GRACE_MS <= now);
    if (due.length > 0) await this.deps.bucket.delete(due.map((r) => r.key));
    record.retired = record.retired.filter((r) => r.since + COPY_GRACE_MS > now);
    this.write(record);
    const next = Math.min(...record.retired.map((r) => r.since + COPY_GRACE_MS));
    if (Number.isFinite(next)) await this.deps.alarms().set('pack_copy', next);
  }

  private layerPacks(): number[] {
    return [...new Set(this.deps.cached().layerPacks().flat())];
  }

  private packSize(packId: number): number | null {
    const row = this.deps.sql
      .exec<{ size: number }>("SELECT size FROM packs WHERE id = ? AND state = 'live'", packId)
      .toArray()[0];
    return row?.size ?? null;
  }

  private record(): CopyRecord {
    const value = readMeta(this.deps.sql, KEY);
    return value === null ? { copied: {}, retired: [] } : (JSON.parse(value) as CopyRecord);
  }

  private write(record: CopyRecord): void {
    writeMeta(this.deps.sql, KEY, JSON.stringify(record));
  }
}
