/**
 * The object's one alarm shared by its kinds of background work (compaction after pushes, the
 * pull mirror's syncs, push mirrors' intervals, a migration's import steps): each kind keeps its due time in `meta`, the alarm is set to the earliest,
 * so scheduling one never pushes back or drops the other.
 */
import { deleteMeta, metaWithPrefix, writeMeta } from './meta';

export type AlarmKind = 'compact' | 'mirror' | 'push_mirror' | 'pack_copy' | 'import';

const PREFIX = 'alarm:';

export class AlarmSchedule {
  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {}

  /** Runs `kind` at `at` (replacing its previous time), then re-arms the alarm. */
  async set(kind: AlarmKind, at: number): Promise<void> {
    writeMeta(this.sql, PREFIX + kind, String(at));
    await this.rearm();
  }

  async clear(kind: AlarmKind): Promise<void> {
    deleteMeta(this.sql, PREFIX + kind);
    await this.rearm();
  }

  /**
   * The kinds due at `now`, taken off the schedule. An alarm set before kinds were recorded (an
   * older object) counts as compaction's.
   */
  takeDue(now: number): AlarmKind[] {
    const rows = this.rows();
    if (rows.length === 0) return ['compact'];
    const due = rows.filter((r) => r.at <= now).map((r) => r.kind);
    for (const kind of due) deleteMeta(this.sql, PREFIX + kind);
    return due;
  }

  /** Sets the alarm to the earliest time still scheduled. */
  async rearm(): Promise<void> {
    const times = this.rows().map((r) => r.at);
    if (times.length > 0) await this.storage.setAlarm(Math.min(...times));
  }

  /** Each kind's due time (ms since the epoch), for tests and operators. */
  due(): Partial<Record<AlarmKind, number>> {
    return Object.fromEntries(this.rows().map((r) => [r.kind, r.at]));
  }

  private rows(): { kind: AlarmKind; at: number }[] {
    return metaWithPrefix(this.sql, PREFIX).map((r) => ({
      kind: r.key.slice(PREFIX.length) as AlarmKind,
      at: Number(r.value),
    }));
  }
}
