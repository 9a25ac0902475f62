/**
 * Gitea's git data API, read-only: refs (`/git/refs`, `/git/refs/{prefix}`), a commit by id or
 * ref (`/git/commits/{sha}`, and GitHub's `/commits/{sha}`), a tree by id (`/git/trees/{sha}`,
 * recursive and paged) and a blob by id (`/git/blobs/{sha}`, base64). Objects are read through
 * the repository's object, each read bounded (see src/git/browse/git-data.ts).
 */

import { Hono } from 'hono';
import { z } from 'zod';
import { findUsersByCommitEmails } from '../db/users';
import { expectKind } from '../services/browse';
import { decodePath } from '../services/decode-path';
import { pageNumber } from '../services/paging';
import { repoClient } from '../services/repo-client';
import { type ApiContext, type AppEnv, requestOrigin, requireRepo } from './context';
import { ApiError, badRequest } from './errors';
import { apiBase, base64, commitJson, referenceJson, treeJson } from './git-data-json';
import { describe } from './openapi/describe';
import { CommitSchema } from './schemas/content';
import {
  type GitBlobResponse,
  GitBlobResponseSchema,
  GitTreeResponseSchema,
  ReferenceSchema,
} from './schemas/git-data';

export const gitDataApi = new Hono<AppEnv>();

const REPO = '/api/v1/repos/:owner/:repo';

/** Tree entries one page lists by default and at most (Gitea's DEFAULT_GIT_TREES_PER_PAGE). */
const TREE_PER_PAGE = 1000;
/**
 * Blob bytes answered inline at most; a larger blob is described without its content (Gitea's
 * answer past its own cap), to be read from `raw` instead, which streams.
 */
export const API_BLOB_MAX = 1024 * 1024;

/** Gitea answers 400 for an id that names no tree or blob. */
function asBadRequest(e: unknown): never {
  throw e instanceof Error && e.name === 'BrowseError' ? badRequest(e.message) : e;
}

function readable(c: ApiContext) {
  return requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'read');
}

/** A boolean query flag, `fallback` when absent (Gitea's `stat`, `files`, `recursive`). */
function flag(c: ApiContext, name: string, fallback: boolean): boolean {
  const v = c.req.query(name);
  if (v === undefined || v === '') return fallback;
  return v === 'true' || v === '1';
}

async function refsUnder(c: ApiContext, prefix: string): Promise<Response> {
  const { repo } = await readable(c);
  const refs = await repoClient(c.env, repo).gitRefs(prefix);
  if (refs.length === 0 && prefix !== 'refs/') throw new ApiError(404, `no ref matches '${prefix}'`);
  const origin = requestOrigin(c);
  const json = refs.map((r) => referenceJson(origin, repo, r));
  // Gitea answers one object, not a list, when the one ref found is exactly the one asked for.
  if (json.length === 1 && refs[0].name === prefix) return c.json(json[0]);
  return c.json(json);
}

gitDataApi.get(
  `${REPO}/git/refs`,
  describe({
    summary: "Get specified ref or filtered repository's refs",
    tags: ['repository'],
    operationId: 'repoListAllGitRefs',
    responses: { 200: { description: 'ReferenceList', schema: z.array(ReferenceSchema) } },
  }),
);
gitDataApi.get(`${REPO}/git/refs`, (c) => refsUnder(c, 'refs/'));
gitDataApi.get(
  `${REPO}/git/refs/*`,
  describe({
    summary: "Get specified ref or filtered repository's refs",
    tags: ['repository'],
    operationId: 'repoListGitRefs',
    params: { filepath: 'part or full name of the ref (heads/main, tags), without refs/' },
    responses: {
      200: {
        description: 'one Reference when the one ref found is exactly the one asked for, else a list',
        schema: z.union([ReferenceSchema, z.array(ReferenceSchema)]),
      },
    },
  }),
);
gitDataApi.get(`${REPO}/git/refs/*`, (c) => {
  const tail = c.req.path.slice(c.req.path.indexOf('/git/refs/') + '/git/refs/'.length);
  const decoded = decodePath(tail);
  if (decoded === null) throw badRequest(`the ref '${tail}' holds a malformed percent-escape`);
  return refsUnder(c, `refs/${decoded}`);
});

/** A route's repository (readable by the caller), its object client, the `:sha` asked for and the origin for links. */
async function objectRequest(c: ApiContext) {
  const { repo } = await readable(c);
  return { repo, client: repoClient(c.env, repo), sha: c.req.param('sha') ?? '', origin: requestOrigin(c) };
}

/** The query of both paths of a single commit. */
const COMMIT_QUERY = z.object({
  stat: z
    .boolean()
    .optional()
    .describe('include diff stats for every commit (disable for speedup, default true)'),
  files: z
    .boolean()
    .optional()
    .describe('include a list of affected files for every commit (disable for speedup, default true)'),
});

async function singleCommit(c: ApiContext): Promise<Response> {
  const { repo, client, sha, origin } = await objectRequest(c);
  const r = expectKind(await client.browse({ kind: 'commit', sha }), 'commit');
  const withFiles = flag(c, 'files', true) || flag(c, 'stat', true);
  const users = await findUsersByCommitEmails(c.env.DB, [r.commit.author.email, r.commit.committer.email]);
  return c.json(commitJson(origin, repo, r.commit, withFiles ? r.files : null, users));
}

gitDataApi.get(
  `${REPO}/git/commits/:sha`,
  describe({
    summary: 'Get a single commit from a repository',
    tags: ['repository'],
    operationId: 'repoGetSingleCommit',
    params: { sha: 'a git ref or commit sha' },
    query: COMMIT_QUERY,
    responses: { 200: CommitSchema },
  }),
);
gitDataApi.get(`${REPO}/git/commits/:sha`, singleCommit);
gitDataApi.get(
  `${REPO}/commits/:sha`,
  describe({
    summary: 'Get a single commit from a repository',
    tags: ['repository'],
    description:
      "GitHub's path for Gitea's repoGetSingleCommit (Gitea serves it at /git/commits/{sha} only).",
    operationId: 'repoGetSingleCommitByPath',
    params: { sha: 'a git ref or commit sha' },
    query: COMMIT_QUERY,
    responses: { 200: CommitSchema },
  }),
);
gitDataApi.get(`${REPO}/commits/:sha`, singleCommit);

gitDataApi.get(
  `${REPO}/git/trees/:sha`,
  describe({
    summary: 'Gets the tree of a repository.',
    tags: ['repository'],
    operationId: 'GetTree',
    params: { sha: 'sha of the commit' },
    query: z.object({
      recursive: z.boolean().optional().describe('show all directories and files'),
      page: z
        .string()
        .optional()
        .describe(
          "page number; the 'truncated' field in the response will be true if there are still more items after this page, false if the last page",
        ),
      per_page: z.string().optional().describe('number of items per page (at most 1000)'),
    }),
    responses: { 200: GitTreeResponseSchema, 400: 'the id names no tree or commit' },
  }),
);
gitDataApi.get(`${REPO}/git/trees/:sha`, async (c) => {
  const { repo, client, sha, origin } = await objectRequest(c);
  const perPageAsked = Number(c.req.query('per_page'));
  const perPage =
    Number.isInteger(perPageAsked) && perPageAsked > 0
      ? Math.min(perPageAsked, TREE_PER_PAGE)
      : TREE_PER_PAGE;
  const options = { recursive: flag(c, 'recursive', false), page: pageNumber(c.req.query('page')), perPage };
  const listing = await client.gitTree(sha, options).catch(asBadRequest);
  return c.json(treeJson(origin, repo, listing));
});

gitDataApi.get(
  `${REPO}/git/blobs/:sha`,
  describe({
    summary: 'Gets the blob of a repository.',
    tags: ['repository'],
    operationId: 'GetBlob',
    params: { sha: 'sha of the blob' },
    responses: { 200: GitBlobResponseSchema, 400: 'the id names no blob' },
  }),
);
gitDataApi.get(`${REPO}/git/blobs/:sha`, async (c) => {
  const { repo, client, sha, origin } = await objectRequest(c);
  const blob = await client.gitBlob(sha, API_BLOB_MAX).catch(asBadRequest);
  return c.json<GitBlobResponse>({
    content: blob.bytes ? base64(blob.bytes) : null,
    encoding: blob.bytes ? 'base64' : null,
    url: `${apiBase(origin, repo)}/git/blobs/${blob.oid}`,
    sha: blob.oid,
    size: blob.size,
  });
});
