// Branch protection rules (Gitea's /branch_protections; admins) and branch deletion through the
// API, which the rules refuse for protected branches as they refuse `git push --delete`.
import { Hono } from 'hono';
import {
  deleteRule,
  findRule,
  insertRule,
  listRules,
  type ProtectionRecord,
  updateRule,
} from '../db/protection';
import { pushProtection } from '../services/protection';
import { repoClient } from '../services/repo-client';
import { readJsonObject } from './body';
import { type AppEnv, requireActor, requireRepo } from './context';
import { ApiError, conflict, notFound } from './errors';
import { describe } from './openapi/describe';
import { newRule, ruleFields, ruleNameOf } from './protection-input';

export const protectionApi = new Hono<AppEnv>();

const RULES = '/api/v1/repos/:owner/:repo/branch_protections';

/** Gitea's BranchProtection JSON (the fields this server has). */
export function protectionJson(r: ProtectionRecord) {
  return {
    branch_name: r.ruleName,
    rule_name: r.ruleName,
    enable_push: r.enablePush,
    enable_push_whitelist: r.enablePushWhitelist,
    push_whitelist_usernames: r.pushWhitelistUsernames,
    push_whitelist_teams: [],
    push_whitelist_deploy_keys: false,
    enable_force_push: r.enableForcePush,
    enable_merge_whitelist: false,
    merge_whitelist_usernames: [],
    required_approvals: r.requiredApprovals,
    enable_approvals_whitelist: false,
    approvals_whitelist_username: [],
    enable_status_check: r.enableStatusCheck,
    status_check_contexts: r.statusCheckContexts,
    block_on_rejected_reviews: r.blockOnRejectedReviews,
    dismiss_stale_approvals: r.dismissStaleApprovals,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function adminRepo(c: Parameters<typeof requireRepo>[0]) {
  return requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'admin');
}

protectionApi.get(
  RULES,
  describe({
    summary: 'List branch protections for a repository',
    tags: ['repository'],
    operationId: 'repoListBranchProtection',
    responses: { 200: 'BranchProtectionList' },
  }),
);
protectionApi.get(RULES, async (c) => {
  const { repo } = await adminRepo(c);
  return c.json((await listRules(c.env.DB, repo.id)).map(protectionJson));
});

protectionApi.post(
  RULES,
  describe({
    summary: 'Create a branch protections for a repository',
    tags: ['repository'],
    operationId: 'repoCreateBranchProtection',
    responses: { 201: 'BranchProtection' },
  }),
);
protectionApi.post(RULES, async (c) => {
  const { repo } = await adminRepo(c);
  const body = await readJsonObject(c);
  const fields = await ruleFields(c.env.DB, body, newRule(ruleNameOf(body)));
  const created = await insertRule(c.env.DB, repo.id, fields);
  if (!created) throw conflict(`a rule named '${fields.ruleName}' already exists`);
  return c.json(protectionJson(created), 201);
});

protectionApi.get(
  `${RULES}/:name{.+}`,
  describe({
    summary: 'Get a specific branch protection for the repository',
    tags: ['repository'],
    operationId: 'repoGetBranchProtection',
    responses: { 200: 'BranchProtection' },
  }),
);
protectionApi.get(`${RULES}/:name{.+}`, async (c) => {
  const { repo } = await adminRepo(c);
  const rule = await findRule(c.env.DB, repo.id, c.req.param('name'));
  if (!rule) throw notFound('branch protection rule not found');
  return c.json(protectionJson(rule));
});

protectionApi.patch(
  `${RULES}/:name{.+}`,
  describe({
    summary: 'Edit a branch protections for a repository',
    tags: ['repository'],
    operationId: 'repoEditBranchProtection',
    responses: { 200: 'BranchProtection' },
  }),
);
protectionApi.patch(`${RULES}/:name{.+}`, async (c) => {
  const { repo } = await adminRepo(c);
  const rule = await findRule(c.env.DB, repo.id, c.req.param('name'));
  if (!rule) throw notFound('branch protection rule not found');
  const body = await readJsonObject(c);
  const renamed = body.rule_name === undefined ? rule.ruleName : ruleNameOf(body);
  const fields = await ruleFields(c.env.DB, body, { ...rule, ruleName: renamed });
  const updated = await updateRule(c.env.DB, rule.id, fields);
  if (updated === 'conflict') throw conflict(`a rule named '${renamed}' already exists`);
  return c.json(protectionJson(updated));
});

protectionApi.delete(
  `${RULES}/:name{.+}`,
  describe({
    summary: 'Delete a specific branch protection for the repository',
    tags: ['repository'],
    operationId: 'repoDeleteBranchProtection',
    responses: { 204: 'deleted' },
  }),
);
protectionApi.delete(`${RULES}/:name{.+}`, async (c) => {
  const { repo } = await adminRepo(c);
  if (!(await deleteRule(c.env.DB, repo.id, c.req.param('name'))))
    throw notFound('branch protection rule not found');
  return c.body(null, 204);
});

/** Gitea's DELETE .../branches/{branch}: writers, and never a protected branch. */
protectionApi.delete(
  '/api/v1/repos/:owner/:repo/branches/:branch{.+}',
  describe({
    summary: 'Delete a specific branch from a repository',
    tags: ['repository'],
    operationId: 'repoDeleteBranch',
    responses: { 204: 'deleted' },
  }),
);
protectionApi.delete('/api/v1/repos/:owner/:repo/branches/:branch{.+}', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'write');
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const branch = c.req.param('branch');
  const protection = await pushProtection(c.env.DB, repo.id, actor.username);
  const result = await repoClient(c.env, repo).deleteBranch(branch, protection);
  if (result.kind === 'missing') throw notFound('branch not found');
  // Gitea answers 403 for a protected branch.
  if (result.kind === 'declined') throw new ApiError(403, result.reason);
  return c.body(null, 204);
});
