// Gitea's per-repository settings (merge styles, unit switches, archiving). A repository without
// a row has the defaults below, which are Gitea's for a new repository.

/** Gitea's merge styles (`Do` of the merge endpoint, `default_merge_style`). */
export const GITEA_MERGE_STYLES = ['merge', 'rebase', 'rebase-merge', 'squash', 'fast-forward-only'] as const;
export type GiteaMergeStyle = (typeof GITEA_MERGE_STYLES)[number];

export interface RepoSettings {
  hasIssues: boolean;
  hasPullRequests: boolean;
  allowMergeCommits: boolean;
  allowRebase: boolean;
  allowRebaseExplicit: boolean;
  allowSquashMerge: boolean;
  allowFastForwardOnlyMerge: boolean;
  allowRebaseUpdate: boolean;
  defaultMergeStyle: GiteaMergeStyle;
  defaultDeleteBranchAfterMerge: boolean;
  defaultAllowMaintainerEdit: boolean;
  ignoreWhitespaceConflicts: boolean;
  website: string;
  archived: boolean;
  /** ISO time of archiving, null when not archived. */
  archivedAt: string | null;
}

export const DEFAULT_REPO_SETTINGS: RepoSettings = {
  hasIssues: true,
  hasPullRequests: true,
  allowMergeCommits: true,
  allowRebase: true,
  // "rebase-merge" (rebase, then a merge commit) is not one of the merges this server makes.
  allowRebaseExplicit: false,
  allowSquashMerge: true,
  allowFastForwardOnlyMerge: true,
  allowRebaseUpdate: true,
  defaultMergeStyle: 'merge',
  defaultDeleteBranchAfterMerge: false,
  defaultAllowMaintainerEdit: false,
  ignoreWhitespaceConflicts: false,
  website: '',
  archived: false,
  archivedAt: null,
};

/** Setting -> column; booleans are stored as 0/1. */
const COLUMNS: Record<keyof RepoSettings, string> = {
  hasIssues: 'has_issues',
  hasPullRequests: 'has_pull_requests',
  allowMergeCommits: 'allow_merge_commits',
  allowRebase: 'allow_rebase',
  allowRebaseExplicit: 'allow_rebase_explicit',
  allowSquashMerge: 'allow_squash_merge',
  allowFastForwardOnlyMerge: 'allow_fast_forward_only_merge',
  allowRebaseUpdate: 'allow_rebase_update',
  defaultMergeStyle: 'default_merge_style',
  defaultDeleteBranchAfterMerge: 'default_delete_branch_after_merge',
  defaultAllowMaintainerEdit: 'default_allow_maintainer_edit',
  ignoreWhitespaceConflicts: 'ignore_whitespace_conflicts',
  website: 'website',
  archived: 'archived',
  archivedAt: 'archived_at',
};

const KEYS = Object.keys(COLUMNS) as (keyof RepoSettings)[];

type Row = Record<string, string | number | null> & { repo_id: number };

function isMergeStyle(v: unknown): v is GiteaMergeStyle {
  return typeof v === 'string' && (GITEA_MERGE_STYLES as readonly string[]).includes(v);
}

function toSettings(r: Row): RepoSettings {
  const s: RepoSettings = { ...DEFAULT_REPO_SETTINGS };
  for (const k of KEYS) {
    const v = r[COLUMNS[k]];
    const d = DEFAULT_REPO_SETTINGS[k];
    if (typeof d === 'boolean') (s as unknown as Record<string, unknown>)[k] = v !== 0 && v !== null;
    else if (k === 'defaultMergeStyle') s.defaultMergeStyle = isMergeStyle(v) ? v : 'merge';
    else if (k === 'archivedAt') s.archivedAt = typeof v === 'string' ? v : null;
    else if (k === 'website') s.website = typeof v === 'string' ? v : '';
  }
  return s;
}

/** Settings of several repositories at once (lists), by id; missing rows read as the defaults. */
export async function findRepoSettings(
  db: D1Database,
  ids: readonly number[],
): Promise<Map<number, RepoSettings>> {
  const out = new Map<number, RepoSettings>();
  const unique = [...new Set(ids)];
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const { results } = await db
      .prepare(`select * from "repo_settings" where "repo_id" in (${chunk.map(() => '?').join(', ')})`)
      .bind(...chunk)
      .all<Row>();
    for (const r of results) out.set(Number(r.repo_id), toSettings(r));
  }
  for (const id of unique) if (!out.has(id)) out.set(id, { ...DEFAULT_REPO_SETTINGS });
  return out;
}

export async function findRepoSetting(db: D1Database, id: number): Promise<RepoSettings> {
  return (await findRepoSettings(db, [id])).get(id) ?? { ...DEFAULT_REPO_SETTINGS };
}

/** Writes the given settings (others keep their value, or the default on a first write). */
export async function updateRepoSettings(
  db: D1Database,
  id: number,
  changes: Partial<RepoSettings>,
): Promise<void> {
  const keys = KEYS.filter((k) => changes[k] !== undefined);
  if (keys.length === 0) return;
  const cols = keys.map((k) => `"${COLUMNS[k]}"`);
  const values = keys.map((k) => {
    const v = changes[k];
    return typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null);
  });
  const now = new Date().toISOString();
  await db
    .prepare(
      `insert into "repo_settings" ("repo_id", ${cols.join(', ')}, "updated_at")
       values (?, ${cols.map(() => '?').join(', ')}, ?)
       on conflict ("repo_id") do update set ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, "updated_at" = excluded."updated_at"`,
    )
    .bind(id, ...values, now)
    .run();
}

/** Whether the merge endpoint may merge with `style` here (Gitea's IsMergeStyleAllowed). */
export function isMergeStyleAllowed(s: RepoSettings, style: GiteaMergeStyle): boolean {
  switch (style) {
    case 'merge':
      return s.allowMergeCommits;
    case 'rebase':
      return s.allowRebase;
    case 'rebase-merge':
      return s.allowRebaseExplicit;
    case 'squash':
      return s.allowSquashMerge;
    case 'fast-forward-only':
      return s.allowFastForwardOnlyMerge;
  }
}
