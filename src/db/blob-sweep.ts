// The R2 prefixes waiting to be emptied (migration 0020), oldest first.

/** A deleted repository's R2 prefixes: LFS objects, release assets, comment attachments, copies of its packs. */
export function repoBlobPrefixes(repoId: number): string[] {
  return [`lfs/${repoId}/`, `releases/${repoId}/`, `attachments/${repoId}/`, `packs/${repoId}/`];
}

/** Statements recording `prefixes` to be emptied (for the batch that deletes their owner). */
export function recordSweeps(db: D1Database, prefixes: readonly string[]): D1PreparedStatement[] {
  return prefixes.map((p) =>
    db
      .prepare(`insert into "blob_sweep" ("prefix", "created_at") values (?, ?) on conflict do nothing`)
      .bind(p, Date.now()),
  );
}

export async function pendingSweeps(db: D1Database, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(`select "prefix" from "blob_sweep" order by "created_at", "prefix" limit ?`)
    .bind(limit)
    .all<{ prefix: string }>();
  return results.map((r) => r.prefix);
}

export async function finishSweep(db: D1Database, prefix: string): Promise<void> {
  await db.prepare(`delete from "blob_sweep" where "prefix" = ?`).bind(prefix).run();
}
