// A Gitea-service migration's import (issues, pulls, releases... beside the git data): what was
// asked for, where it stands, and which source ids were already imported (a retry skips those).

export type ImportPhase = 'labels' | 'milestones' | 'issues' | 'pulls' | 'releases' | 'done';

export interface ImportOptions {
  /** The source's API base of the repository, e.g. https://host/api/v1/repos/owner/name. */
  readonly apiBase: string;
  readonly labels: boolean;
  readonly milestones: boolean;
  readonly issues: boolean;
  readonly pullRequests: boolean;
  readonly releases: boolean;
  /** The user who migrates: posts what no local user of the same name wrote. */
  readonly migratorId: number;
}

export interface ImportRecord {
  repoId: number;
  options: ImportOptions;
  /** The source's Authorization header, sealed (null without credentials). */
  credentials: string | null;
  phase: ImportPhase;
  page: number;
  /** The item of the page the next step starts at (a step may end inside a page). */
  item: number;
  imported: number;
  error: string | null;
}

interface Row {
  repo_id: number;
  options: string;
  credentials: string | null;
  phase: ImportPhase;
  page: number;
  item: number;
  imported: number;
  error: string | null;
}

export async function insertImport(
  db: D1Database,
  repoId: number,
  options: ImportOptions,
  credentials: string | null,
): Promise<void> {
  await db
    .prepare(
      `insert into "migration_import" ("repo_id", "options", "credentials", "phase", "page", "updated_at")
       values (?, ?, ?, 'labels', 1, ?)`,
    )
    .bind(repoId, JSON.stringify(options), credentials, new Date().toISOString())
    .run();
}

export async function findImport(db: D1Database, repoId: number): Promise<ImportRecord | null> {
  const r = await db
    .prepare(
      `select "repo_id", "options", "credentials", "phase", "page", "item", "imported", "error"
       from "migration_import" where "repo_id" = ?`,
    )
    .bind(repoId)
    .first<Row>();
  if (!r) return null;
  return {
    repoId: Number(r.repo_id),
    options: JSON.parse(r.options) as ImportOptions,
    credentials: r.credentials,
    phase: r.phase,
    page: Number(r.page),
    item: Number(r.item),
    imported: Number(r.imported),
    error: r.error,
  };
}

/** Where the next step starts, and how many items were imported so far. */
export async function saveImportProgress(
  db: D1Database,
  repoId: number,
  at: { phase: ImportPhase; page: number; item: number; imported: number; error?: string | null },
): Promise<void> {
  await db
    .prepare(
      `update "migration_import" set "phase" = ?, "page" = ?, "item" = ?, "imported" = ?, "error" = ?,
       "updated_at" = ?, "credentials" = case when ? = 'done' then null else "credentials" end
       where "repo_id" = ?`,
    )
    .bind(
      at.phase,
      at.page,
      at.item,
      at.imported,
      at.error ?? null,
      new Date().toISOString(),
      at.phase,
      repoId,
    )
    .run();
}

/** The repository's migration status while its import runs, and its failure (retryable). */
export async function setMigrationStatus(
  db: D1Database,
  repoId: number,
  status: 'running' | 'failed' | 'done',
  error: string | null = null,
): Promise<void> {
  await db
    .prepare(`update "repo_mirror" set "status" = ?, "error" = ? where "repo_id" = ?`)
    .bind(status, error, repoId)
    .run();
}

export type ItemKind = 'label' | 'milestone' | 'issue' | 'comment' | 'release' | 'asset';

/** The local id of a source item already imported, or null. */
export async function importedId(
  db: D1Database,
  repoId: number,
  kind: ItemKind,
  sourceId: number,
): Promise<number | null> {
  const r = await db
    .prepare(`select "local_id" from "migration_item" where "repo_id" = ? and "kind" = ? and "source_id" = ?`)
    .bind(repoId, kind, sourceId)
    .first<{ local_id: number }>();
  return r ? Number(r.local_id) : null;
}

/** All of a kind's source id -> local id (labels and milestones, to map issues' references). */
export async function importedIds(
  db: D1Database,
  repoId: number,
  kind: ItemKind,
): Promise<Map<number, number>> {
  const { results } = await db
    .prepare(`select "source_id", "local_id" from "migration_item" where "repo_id" = ? and "kind" = ?`)
    .bind(repoId, kind)
    .all<{ source_id: number; local_id: number }>();
  return new Map(results.map((r) => [Number(r.source_id), Number(r.local_id)]));
}

/** Records an import; `localIdSql` may be an SQL expression (e.g. last_insert_rowid()) within a batch. */
export function recordItem(
  db: D1Database,
  repoId: number,
  kind: ItemKind,
  sourceId: number,
  localId: number | { sql: string; args: (string | number)[] },
): D1PreparedStatement {
  const expr = typeof localId === 'number' ? '?' : localId.sql;
  const args = typeof localId === 'number' ? [localId] : localId.args;
  return db
    .prepare(
      `insert into "migration_item" ("repo_id", "kind", "source_id", "local_id") values (?, ?, ?, ${expr})`,
    )
    .bind(repoId, kind, sourceId, ...args);
}
