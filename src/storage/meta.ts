/**
 * The repository object's `meta` table: one text value per key (HEAD's target, the cached pack's
 * record, alarm times, counters, the state of work in progress). Each module owns its keys and
 * reads and writes them through these.
 */

/** The value stored under `key`, or null. */
export function readMeta(sql: SqlStorage, key: string): string | null {
  return sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value ?? null;
}

/** Stores `value` under `key`, replacing any value there. */
export function writeMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, value);
}

export function deleteMeta(sql: SqlStorage, key: string): void {
  sql.exec('DELETE FROM meta WHERE key = ?', key);
}

/** Adds one to the count under `key` (absent counts as 0). */
export function incrementMeta(sql: SqlStorage, key: string): void {
  sql.exec(
    `INSERT INTO meta (key, value) VALUES (?, '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
    key,
  );
}

/** The count under `key`, 0 when absent. */
export function readMetaCount(sql: SqlStorage, key: string): number {
  return Number(readMeta(sql, key) ?? 0);
}

/** Every key starting with `prefix`, with its value. */
export function metaWithPrefix(sql: SqlStorage, prefix: string): { key: string; value: string }[] {
  return sql
    .exec<{ key: string; value: string }>(
      'SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?',
      prefix.length,
      prefix,
    )
    .toArray();
}
