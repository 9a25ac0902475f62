// Open issue and pull request counts of repositories (Gitea's open_issues_count, open_pr_counter).

export interface RepoCounts {
  openIssues: number;
  openPulls: number;
}

/** Counts for several repositories at once (lists), by id; none open reads as zeros. */
export async function findRepoCounts(
  db: D1Database,
  ids: readonly number[],
): Promise<Map<number, RepoCounts>> {
  const out = new Map<number, RepoCounts>();
  const unique = [...new Set(ids)];
  for (const id of unique) out.set(id, { openIssues: 0, openPulls: 0 });
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const { results } = await db
      .prepare(
        `select "repo_id", "is_pull", count(*) as n from "issue" where "state" = 'open'
         and "repo_id" in (${chunk.map(() => '?').join(', ')}) group by "repo_id", "is_pull"`,
      )
      .bind(...chunk)
      .all<{ repo_id: number; is_pull: number; n: number }>();
    for (const r of results) {
      const counts = out.get(Number(r.repo_id));
      if (!counts) continue;
      if (r.is_pull) counts.openPulls = Number(r.n);
      else counts.openIssues = Number(r.n);
    }
  }
  return out;
}
