/**
 * A push's spilled bookkeeping (see git/spill) in SQLite, as chunk rows of its quarantined pack's
 * `pack_index` under negative run numbers: the sealed index is run 0 and a pack being received
 * writes its sorted runs as 1, 2, ..., so nothing else reads or deletes these. A failed push drops
 * them with its pack; a push done with its links drops them itself, and a new instance drops any
 * left by one that ended mid-push (`dropSpilledRuns`).
 */
import { idHexAt } from '../git/oid';
import type { SpillStore } from '../git/spill/spill-store';

declare global {
  interface Env {
    /** Distinct ids a push's id set keeps in memory before spilling to SQLite (tests use few). */
    readonly PUSH_SPILL_IDS?: string;
  }
}

export class SqlSpillStore implements SpillStore {
  /** `onPut`: told of each chunk written (the object counts them for its stats). */
  constructor(
    private readonly sql: SqlStorage,
    private readonly packId: number,
    private readonly onPut?: () => void,
  ) {}

  put(run: number, seq: number, chunk: Uint8Array): void {
    this.sql.exec(
      'INSERT INTO pack_index (pack_id, run, seq, first_oid, data) VALUES (?, ?, ?, ?, ?)',
      this.packId,
      -run,
      seq,
      idHexAt(chunk, 0),
      chunk.slice(),
    );
    this.onPut?.();
  }

  get(run: number, seq: number): Uint8Array | null {
    const row = this.sql
      .exec<{ data: ArrayBuffer }>(
        'SELECT data FROM pack_index WHERE pack_id = ? AND run = ? AND seq = ?',
        this.packId,
        -run,
        seq,
      )
      .toArray()[0];
    return row ? new Uint8Array(row.data) : null;
  }

  drop(run: number): void {
    this.sql.exec('DELETE FROM pack_index WHERE pack_id = ? AND run = ?', this.packId, -run);
  }

  clear(): void {
    this.sql.exec('DELETE FROM pack_index WHERE pack_id = ? AND run < 0', this.packId);
  }
}

/** Spilled rows, found through the key's pack id (a seek per pack, not a scan of every index row). */
const SPILLED = 'pack_id IN (SELECT id FROM packs) AND run < 0';

/** Chunks of spilled runs stored now (none once every push is done with its links). */
export function spilledChunksHeld(sql: SqlStorage): number {
  return sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM pack_index WHERE ${SPILLED}`).one().n;
}

/** Drop spilled runs of pushes a previous instance did not finish (none is in flight at start). */
export function dropSpilledRuns(sql: SqlStorage): void {
  sql.exec(`DELETE FROM pack_index WHERE ${SPILLED}`);
}
