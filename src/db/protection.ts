// Branch protection rules of a repository (table `branch_protection`), as protect/rules.ts reads them.
import type { BranchRule } from '../git/protect/rules';

export interface ProtectionRecord extends BranchRule {
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The settable part of a rule. */
export type RuleFields = Omit<BranchRule, 'id'>;

interface Row {
  id: number;
  rule_name: string;
  enable_push: number;
  enable_push_whitelist: number;
  push_whitelist_usernames: string;
  enable_force_push: number;
  required_approvals: number;
  enable_status_check: number;
  status_check_contexts: string;
  block_on_rejected_reviews: number;
  dismiss_stale_approvals: number;
  created_at: string;
  updated_at: string;
}

function strings(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch (e) {
    if (e instanceof SyntaxError) return [];
    throw e;
  }
}

function toRecord(r: Row): ProtectionRecord {
  return {
    id: r.id,
    ruleName: r.rule_name,
    enablePush: !!r.enable_push,
    enablePushWhitelist: !!r.enable_push_whitelist,
    pushWhitelistUsernames: strings(r.push_whitelist_usernames),
    enableForcePush: !!r.enable_force_push,
    requiredApprovals: r.required_approvals,
    enableStatusCheck: !!r.enable_status_check,
    statusCheckContexts: strings(r.status_check_contexts),
    blockOnRejectedReviews: !!r.block_on_rejected_reviews,
    dismissStaleApprovals: !!r.dismiss_stale_approvals,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listRules(db: D1Database, repoId: number): Promise<ProtectionRecord[]> {
  const { results } = await rulesStatement(db, repoId).all<Row>();
  return rulesFromRows(results);
}

/** The rules' read as a statement, for a batch with other reads (one round trip). */
export function rulesStatement(db: D1Database, repoId: number): D1PreparedStatement {
  return db.prepare('select * from "branch_protection" where "repo_id" = ? order by "id"').bind(repoId);
}

export function rulesFromRows(rows: readonly unknown[]): ProtectionRecord[] {
  return (rows as Row[]).map(toRecord);
}

export async function findRule(
  db: D1Database,
  repoId: number,
  name: string,
): Promise<ProtectionRecord | null> {
  const row = await db
    .prepare('select * from "branch_protection" where "repo_id" = ? and "rule_name" = ?')
    .bind(repoId, name)
    .first<Row>();
  return row ? toRecord(row) : null;
}

function values(f: RuleFields): (string | number)[] {
  return [
    f.enablePush ? 1 : 0,
    f.enablePushWhitelist ? 1 : 0,
    JSON.stringify(f.pushWhitelistUsernames),
    f.enableForcePush ? 1 : 0,
    f.requiredApprovals,
    f.enableStatusCheck ? 1 : 0,
    JSON.stringify(f.statusCheckContexts),
    f.blockOnRejectedReviews ? 1 : 0,
    f.dismissStaleApprovals ? 1 : 0,
  ];
}

/** Inserts a rule; null when one of that name exists. */
export async function insertRule(
  db: D1Database,
  repoId: number,
  f: RuleFields,
): Promise<ProtectionRecord | null> {
  const now = new Date().toISOString();
  const row = await db
    .prepare(
      `insert into "branch_protection" ("repo_id", "rule_name", "enable_push", "enable_push_whitelist",
        "push_whitelist_usernames", "enable_force_push", "required_approvals", "enable_status_check",
        "status_check_contexts", "block_on_rejected_reviews", "dismiss_stale_approvals", "created_at", "updated_at")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict ("repo_id", "rule_name") do nothing returning *`,
    )
    .bind(repoId, f.ruleName, ...values(f), now, now)
    .first<Row>();
  return row ? toRecord(row) : null;
}

/** Replaces a rule's fields (its name included); 'conflict' when the new name is taken. */
export async function updateRule(
  db: D1Database,
  id: number,
  f: RuleFields,
): Promise<ProtectionRecord | 'conflict'> {
  try {
    const row = await db
      .prepare(
        `update "branch_protection" set "rule_name" = ?, "enable_push" = ?, "enable_push_whitelist" = ?,
          "push_whitelist_usernames" = ?, "enable_force_push" = ?, "required_approvals" = ?,
          "enable_status_check" = ?, "status_check_contexts" = ?, "block_on_rejected_reviews" = ?,
          "dismiss_stale_approvals" = ?, "updated_at" = ? where "id" = ? returning *`,
      )
      .bind(f.ruleName, ...values(f), new Date().toISOString(), id)
      .first<Row>();
    if (!row) return 'conflict';
    return toRecord(row);
  } catch (e) {
    if (e instanceof Error && /UNIQUE constraint failed/.test(e.message)) return 'conflict';
    throw e;
  }
}

export async function deleteRule(db: D1Database, repoId: number, name: string): Promise<boolean> {
  const r = await db
    .prepare('delete from "branch_protection" where "repo_id" = ? and "rule_name" = ?')
    .bind(repoId, name)
    .run();
  return r.meta.changes > 0;
}
