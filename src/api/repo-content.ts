/**
 * Repository content over the REST API (Gitea's shapes): branches, tags, commits, contents,
 * raw files and archives (answered by the services' downloads, as the pages' are).
 */

import { Hono } from 'hono';
import { can, type Permission } from '../auth/access';
import { listRules } from '../db/protection';
import type { RepoRecord } from '../db/repos';
import type { CommitSummary, RefInfo, TreeItem } from '../git/browse/request';
import { type BranchRule, ruleFor } from '../git/protect/rules';
import { expectKind } from '../services/browse';
import { decodePath } from '../services/decode-path';
import { archiveDownload, rawDownload } from '../services/downloads';
import { pageLimit, pageNumber } from '../services/paging';
import { repoClient } from '../services/repo-client';
import { type ApiContext, type AppEnv, requestOrigin, requireRepo } from './context';
import { ApiError, badRequest } from './errors';
import { pageSlice } from './page-headers';

export const repoContentApi = new Hono<AppEnv>();

/** The part of the path after `marker` (e.g. `/contents/`), decoded segment by segment. */
function tailAfter(path: string, marker: string): string {
  const i = path.indexOf(marker);
  if (i < 0) return '';
  const tail = path.slice(i + marker.length);
  const decoded = decodePath(tail);
  if (decoded === null) throw badRequest(`the path '${tail}' holds a malformed percent-escape`);
  return decoded;
}

function isoTime(p: { time: number }): string {
  return new Date(p.time * 1000).toISOString();
}

function commitJson(base: string, repo: RepoRecord, c: CommitSummary) {
  const api = `${base}/api/v1/repos/${repo.owner}/${repo.name}`;
  return {
    sha: c.oid,
    url: `${api}/git/commits/${c.oid}`,
    html_url: `${base}/${repo.owner}/${repo.name}/commit/${c.oid}`,
    created: isoTime(c.committer),
    commit: {
      message: c.message,
      author: { name: c.author.name, email: c.author.email, date: isoTime(c.author) },
      committer: { name: c.committer.name, email: c.committer.email, date: isoTime(c.committer) },
      tree: { sha: c.tree },
    },
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}` })),
  };
}

/** Gitea's PayloadCommitVerification of a commit that is not signed (signatures are not checked). */
const UNSIGNED = {
  verified: false,
  reason: 'gpg.error.not_signed_commit',
  signature: '',
  signer: null,
  payload: '',
};

/** Gitea's Branch object, with the protection rule that covers it (the first that matches). */
function branchJson(
  base: string,
  repo: RepoRecord,
  b: RefInfo,
  permission: Permission,
  rules: readonly BranchRule[],
) {
  const rule = ruleFor(rules, b.name);
  const canPush = can(permission, 'write') && (!rule || rule.enablePush);
  return {
    name: b.name,
    commit: {
      id: b.commit.oid,
      message: b.commit.message,
      url: `${base}/${repo.owner}/${repo.name}/commit/${b.commit.oid}`,
      author: { name: b.commit.author.name, email: b.commit.author.email, username: '' },
      committer: { name: b.commit.committer.name, email: b.commit.committer.email, username: '' },
      verification: UNSIGNED,
      timestamp: isoTime(b.commit.committer),
      added: null,
      removed: null,
      modified: null,
    },
    protected: rule !== undefined,
    required_approvals: rule?.requiredApprovals ?? 0,
    enable_status_check: rule?.enableStatusCheck ?? false,
    status_check_contexts: rule?.statusCheckContexts ?? [],
    user_can_push: canPush,
    user_can_merge: can(permission, 'write'),
    effective_branch_protection_name: rule?.ruleName ?? '',
  };
}

function tagJson(base: string, repo: RepoRecord, t: RefInfo) {
  const web = `${base}/${repo.owner}/${repo.name}`;
  return {
    name: t.name,
    message: t.annotated ? '' : t.commit.message,
    id: t.commit.oid,
    commit: { sha: t.commit.oid, url: `${web}/commit/${t.commit.oid}` },
    zipball_url: `${web}/archive/${t.name}.zip`,
    tarball_url: `${web}/archive/${t.name}.tar.gz`,
  };
}

function entryJson(base: string, repo: RepoRecord, ref: string, e: TreeItem) {
  const web = `${base}/${repo.owner}/${repo.name}`;
  const api = `${base}/api/v1/repos/${repo.owner}/${repo.name}`;
  const type = e.kind === 'dir' ? 'dir' : e.kind;
  return {
    name: e.name,
    path: e.path,
    sha: e.oid,
    type,
    size: e.size ?? 0,
    url: `${api}/contents/${encodePath(e.path)}?ref=${encodeURIComponent(ref)}`,
    html_url: `${web}/${e.kind === 'dir' ? 'tree' : 'blob'}/${encodePath(ref)}/${encodePath(e.path)}`,
    download_url: e.kind === 'file' ? `${web}/raw/${encodePath(ref)}/${encodePath(e.path)}` : null,
  };
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const REPO = '/api/v1/repos/:owner/:repo';

repoContentApi.get(`${REPO}/branches`, async (c) => {
  const { repo, permission } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const r = expectKind(await repoClient(c.env, repo).browse({ kind: 'refs' }), 'refs');
  const page = pageNumber(c.req.query('page'));
  const limit = pageLimit(c.req.query('limit'));
  const shown = pageSlice(c, r.branches, page, limit);
  const rules = await listRules(c.env.DB, repo.id);
  return c.json(shown.map((b) => branchJson(requestOrigin(c), repo, b, permission, rules)));
});

repoContentApi.get(`${REPO}/branches/:branch{.+}`, async (c) => {
  const { repo, permission } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const r = expectKind(await repoClient(c.env, repo).browse({ kind: 'refs' }), 'refs');
  const b = r.branches.find((x) => x.name === c.req.param('branch'));
  if (!b) throw new ApiError(404, 'branch not found');
  return c.json(branchJson(requestOrigin(c), repo, b, permission, await listRules(c.env.DB, repo.id)));
});

repoContentApi.get(`${REPO}/tags`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const r = expectKind(await repoClient(c.env, repo).browse({ kind: 'refs' }), 'refs');
  return c.json(r.tags.map((t) => tagJson(requestOrigin(c), repo, t)));
});

repoContentApi.get(`${REPO}/commits`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const page = pageNumber(c.req.query('page'));
  const limit = pageLimit(c.req.query('limit'));
  const at = { ref: c.req.query('sha') ?? '', path: c.req.query('path') ?? '' };
  const r = expectKind(await repoClient(c.env, repo).browse({ kind: 'log', at, page, limit }), 'log');
  c.header('X-HasMore', String(r.hasMore));
  c.header('X-Page', String(r.page));
  c.header('X-PerPage', String(r.limit));
  return c.json(r.commits.map((x) => commitJson(requestOrigin(c), repo, x)));
});

const CONTENT_MAX = 1024 * 1024;

async function contents(c: ApiContext, path: string): Promise<Response> {
  const { repo } = await requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'read');
  const ref = c.req.query('ref') ?? '';
  const res = await repoClient(c.env, repo).browse({
    kind: 'blob',
    at: { ref, path },
    maxBytes: CONTENT_MAX,
    bytes: true,
  });
  const r = expectKind(res, 'blob', 'tree');
  const refName = r.ref.name;
  const origin = requestOrigin(c);
  if (r.kind === 'tree') return c.json(r.entries.map((e) => entryJson(origin, repo, refName, e)));
  const name = r.path.split('/').pop() ?? '';
  const kind = r.mode === '120000' ? 'symlink' : r.mode === '160000' ? 'submodule' : 'file';
  const entry = entryJson(origin, repo, refName, {
    name,
    path: r.path,
    kind,
    mode: r.mode,
    oid: r.oid,
    size: r.size,
    lastCommit: null,
  });
  return c.json({
    ...entry,
    last_commit_sha: r.commit.oid,
    encoding: r.bytes ? 'base64' : null,
    content: r.bytes ? base64(r.bytes) : null,
  });
}

repoContentApi.get(`${REPO}/contents`, (c) => contents(c, ''));
repoContentApi.get(`${REPO}/contents/*`, (c) => contents(c, tailAfter(c.req.path, '/contents/')));

repoContentApi.get(`${REPO}/raw/*`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const tail = tailAfter(c.req.path, '/raw/');
  const ref = c.req.query('ref');
  // Without ?ref, Gitea reads `{ref}/{path}` from the path itself.
  const at = ref !== undefined ? { ref, path: tail } : { refPath: tail };
  return rawDownload(c.env, c.req.raw, repo, at);
});

repoContentApi.get(`${REPO}/archive/*`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  return archiveDownload(c.env, c.req.raw, repo, tailAfter(c.req.path, '/archive/'));
});
