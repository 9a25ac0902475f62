/**
 * Repository content over the REST API (Gitea's shapes): branches, tags, commits, contents,
 * raw files and archives (answered by the services' downloads, as the pages' are).
 */

import { Hono } from 'hono';
import { z } from 'zod';
import { can, type Permission } from '../auth/access';
import { listRules } from '../db/protection';
import type { RepoRecord } from '../db/repos';
import { findUsersByCommitEmails } from '../db/users';
import type { RefInfo } from '../git/browse/request';
import { type BranchRule, ruleFor } from '../git/protect/rules';
import { expectKind } from '../services/browse';
import { decodePath } from '../services/decode-path';
import { archiveDownload, rawDownload } from '../services/downloads';
import { pageLimit, pageNumber } from '../services/paging';
import { repoClient } from '../services/repo-client';
import { type ApiContext, type AppEnv, requestOrigin, requireRepo } from './context';
import { ApiError, badRequest } from './errors';
import { API_BLOB_MAX } from './git-data';
import { commitJson, contentsJson, UNSIGNED } from './git-data-json';
import { describe } from './openapi/describe';
import { pageSlice, setLogPageHeaders } from './page-headers';
import { PAGE_HEADERS, pageQuery } from './schemas/common';
import type { Branch, Tag } from './schemas/content';
import { BranchSchema, CommitSchema, ContentsAnswerSchema, TagSchema } from './schemas/content';

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

/** Gitea's Branch object, with the protection rule that covers it (the first that matches). */
function branchJson(
  base: string,
  repo: RepoRecord,
  b: RefInfo,
  permission: Permission,
  rules: readonly BranchRule[],
): Branch {
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

function tagJson(base: string, repo: RepoRecord, t: RefInfo): Tag {
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

const REPO = '/api/v1/repos/:owner/:repo';

repoContentApi.get(
  `${REPO}/branches`,
  describe({
    summary: "List a repository's branches",
    tags: ['repository'],
    operationId: 'repoListBranches',
    query: z.object(pageQuery),
    responses: { 200: { description: 'BranchList', schema: z.array(BranchSchema), headers: PAGE_HEADERS } },
  }),
);
repoContentApi.get(`${REPO}/branches`, async (c) => {
  const { repo, permission } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const r = expectKind(await repoClient(c.env, repo).browse({ kind: 'refs' }), 'refs');
  const page = pageNumber(c.req.query('page'));
  const limit = pageLimit(c.req.query('limit'));
  const shown = pageSlice(c, r.branches, page, limit);
  const rules = await listRules(c.env.DB, repo.id);
  return c.json(shown.map((b) => branchJson(requestOrigin(c), repo, b, permission, rules)));
});

repoContentApi.get(
  `${REPO}/branches/:branch{.+}`,
  describe({
    summary: 'Retrieve a specific branch from a repository, including its effective branch protection',
    tags: ['repository'],
    operationId: 'repoGetBranch',
    responses: { 200: BranchSchema },
  }),
);
repoContentApi.get(`${REPO}/branches/:branch{.+}`, async (c) => {
  const { repo, permission } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const r = expectKind(await repoClient(c.env, repo).browse({ kind: 'refs' }), 'refs');
  const b = r.branches.find((x) => x.name === c.req.param('branch'));
  if (!b) throw new ApiError(404, 'branch not found');
  return c.json(branchJson(requestOrigin(c), repo, b, permission, await listRules(c.env.DB, repo.id)));
});

repoContentApi.get(
  `${REPO}/tags`,
  describe({
    summary: "List a repository's tags",
    tags: ['repository'],
    operationId: 'repoListTags',
    responses: { 200: z.array(TagSchema) },
  }),
);
repoContentApi.get(`${REPO}/tags`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const r = expectKind(await repoClient(c.env, repo).browse({ kind: 'refs' }), 'refs');
  return c.json(r.tags.map((t) => tagJson(requestOrigin(c), repo, t)));
});

repoContentApi.get(
  `${REPO}/commits`,
  describe({
    summary: 'Get a list of all commits from a repository',
    tags: ['repository'],
    operationId: 'repoGetAllCommits',
    query: z.object({
      sha: z.string().optional().describe('SHA or branch to start listing commits from'),
      path: z.string().optional().describe('filepath of a file/dir'),
      ...pageQuery,
    }),
    responses: {
      200: {
        description: 'CommitList',
        schema: z.array(CommitSchema),
        headers: ['X-Total-Count', 'Link', 'X-Total', 'X-PageCount', 'X-HasMore', 'X-Page', 'X-PerPage'],
      },
    },
  }),
);
repoContentApi.get(`${REPO}/commits`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const page = pageNumber(c.req.query('page'));
  const limit = pageLimit(c.req.query('limit'));
  const at = { ref: c.req.query('sha') ?? '', path: c.req.query('path') ?? '' };
  const log = repoClient(c.env, repo).browse({ kind: 'log', at, page, limit, count: true });
  const r = expectKind(await log, 'log');
  // One D1 read for the whole page's authors and committers.
  const users = await findUsersByCommitEmails(
    c.env.DB,
    r.commits.flatMap((x) => [x.author.email, x.committer.email]),
  );
  setLogPageHeaders(c, r);
  return c.json(r.commits.map((x) => commitJson(requestOrigin(c), repo, x, null, users)));
});

async function contents(c: ApiContext, path: string): Promise<Response> {
  const { repo } = await requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'read');
  const ref = c.req.query('ref') ?? '';
  const res = await repoClient(c.env, repo).browse({
    kind: 'blob',
    at: { ref, path },
    maxBytes: API_BLOB_MAX,
    bytes: true,
  });
  const r = expectKind(res, 'blob', 'tree');
  const refName = r.ref.name;
  const origin = requestOrigin(c);
  if (r.kind === 'tree') {
    return c.json(
      r.entries.map((e) =>
        contentsJson(origin, repo, refName, {
          name: e.name,
          path: e.path,
          oid: e.oid,
          type: e.kind,
          size: e.size ?? 0,
          lastCommitSha: e.lastCommit?.oid ?? null,
        }),
      ),
    );
  }
  const type = r.mode === '120000' ? 'symlink' : r.mode === '160000' ? 'submodule' : 'file';
  return c.json(
    contentsJson(origin, repo, refName, {
      name: r.path.split('/').pop() ?? '',
      path: r.path,
      oid: r.oid,
      type,
      size: r.size,
      lastCommitSha: r.commit.oid,
      // Gitea gives a regular file's bytes, and a symlink's target instead.
      content: type === 'file' ? r.bytes : null,
      target: type === 'symlink' && r.bytes ? new TextDecoder().decode(r.bytes) : null,
    }),
  );
}

repoContentApi.get(
  `${REPO}/contents`,
  describe({
    summary: 'Gets the metadata of all the entries of the root dir',
    tags: ['repository'],
    operationId: 'repoGetContentsList',
    query: z.object({
      ref: z
        .string()
        .optional()
        .describe('The name of the commit/branch/tag. Default the repository’s default branch'),
    }),
    responses: { 200: ContentsAnswerSchema },
  }),
);
repoContentApi.get(`${REPO}/contents`, (c) => contents(c, ''));
repoContentApi.get(
  `${REPO}/contents/*`,
  describe({
    summary:
      'Gets the metadata and contents (if a file) of an entry in a repository, or a list of entries if a dir',
    tags: ['repository'],
    operationId: 'repoGetContents',
    query: z.object({
      ref: z
        .string()
        .optional()
        .describe('The name of the commit/branch/tag. Default the repository’s default branch'),
    }),
    responses: { 200: ContentsAnswerSchema },
  }),
);
repoContentApi.get(`${REPO}/contents/*`, (c) => contents(c, tailAfter(c.req.path, '/contents/')));

repoContentApi.get(
  `${REPO}/raw/*`,
  describe({
    summary: 'Get a file from a repository',
    tags: ['repository'],
    operationId: 'repoGetRawFile',
    query: z.object({
      ref: z
        .string()
        .optional()
        .describe('The name of the commit/branch/tag; without it, read from the path'),
    }),
    responses: { 200: 'the file’s bytes' },
  }),
);
repoContentApi.get(`${REPO}/raw/*`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  const tail = tailAfter(c.req.path, '/raw/');
  const ref = c.req.query('ref');
  // Without ?ref, Gitea reads `{ref}/{path}` from the path itself.
  const at = ref !== undefined ? { ref, path: tail } : { refPath: tail };
  return rawDownload(c.env, c.req.raw, repo, at);
});

repoContentApi.get(
  `${REPO}/archive/*`,
  describe({
    summary: 'Get an archive of a repository',
    tags: ['repository'],
    operationId: 'repoGetArchive',
    responses: { 200: 'the archive (zip or tar.gz)' },
  }),
);
repoContentApi.get(`${REPO}/archive/*`, async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'read');
  return archiveDownload(c.env, c.req.raw, repo, tailAfter(c.req.path, '/archive/'));
});
