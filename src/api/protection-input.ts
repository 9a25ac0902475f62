// A branch protection rule from a request body (Gitea's CreateBranchProtectionOption and
// EditBranchProtectionOption): every field checked before anything is saved, 422 otherwise.
import type { RuleFields } from '../db/protection';
import { findUserByName } from '../db/users';
import { compileGlob, GlobError } from '../git/protect/glob';
import type { JsonObject } from './body';
import { invalid } from './errors';

const NAME_MAX = 255;
const LIST_MAX = 50;

function flag(body: JsonObject, key: string, fallback: boolean): boolean {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw invalid(`${key} must be true or false`);
  return v;
}

function glob(value: string, what: string): string {
  if (value === '' || value.length > NAME_MAX) throw invalid(`${what} must be 1 to ${NAME_MAX} characters`);
  try {
    compileGlob(value);
  } catch (e) {
    if (e instanceof GlobError) throw invalid(`${what} is not a valid glob: ${e.message}`);
    throw e;
  }
  return value;
}

function stringList(body: JsonObject, key: string, fallback: readonly string[]): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [...fallback];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw invalid(`${key} must be a list of strings`);
  if (v.length > LIST_MAX) throw invalid(`${key} may hold at most ${LIST_MAX} entries`);
  return v as string[];
}

/** The rule name of a new rule: `rule_name`, or Gitea's older `branch_name`. */
export function ruleNameOf(body: JsonObject): string {
  const v = body.rule_name ?? body.branch_name;
  if (typeof v !== 'string') throw invalid('rule_name is required');
  return glob(v, 'rule_name');
}

/** The fields of `body` over `base` (a new rule's defaults, or the rule being edited). */
export async function ruleFields(db: D1Database, body: JsonObject, base: RuleFields): Promise<RuleFields> {
  const approvals = body.required_approvals ?? base.requiredApprovals;
  if (typeof approvals !== 'number' || !Number.isInteger(approvals) || approvals < 0 || approvals > 100)
    throw invalid('required_approvals must be a whole number from 0 to 100');
  const contexts = stringList(body, 'status_check_contexts', base.statusCheckContexts).map((s) =>
    glob(s, 'a status check context'),
  );
  const logins: string[] = [];
  for (const name of stringList(body, 'push_whitelist_usernames', base.pushWhitelistUsernames)) {
    const user = await findUserByName(db, name);
    if (!user) throw invalid(`push_whitelist_usernames: user '${name}' does not exist`);
    logins.push(user.login);
  }
  return {
    ruleName: base.ruleName,
    enablePush: flag(body, 'enable_push', base.enablePush),
    enablePushWhitelist: flag(body, 'enable_push_whitelist', base.enablePushWhitelist),
    pushWhitelistUsernames: logins,
    enableForcePush: flag(body, 'enable_force_push', base.enableForcePush),
    requiredApprovals: approvals,
    enableStatusCheck: flag(body, 'enable_status_check', base.enableStatusCheck),
    statusCheckContexts: contexts,
    blockOnRejectedReviews: flag(body, 'block_on_rejected_reviews', base.blockOnRejectedReviews),
    dismissStaleApprovals: flag(body, 'dismiss_stale_approvals', base.dismissStaleApprovals),
  };
}

/** A new rule before its request's fields: it refuses every push, as Gitea's does. */
export function newRule(ruleName: string): RuleFields {
  return {
    ruleName,
    enablePush: false,
    enablePushWhitelist: false,
    pushWhitelistUsernames: [],
    enableForcePush: false,
    requiredApprovals: 0,
    enableStatusCheck: false,
    statusCheckContexts: [],
    blockOnRejectedReviews: false,
    dismissStaleApprovals: false,
  };
}
