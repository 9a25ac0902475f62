/**
 * Gitea's contents write API: `POST|PUT|DELETE .../contents/{path}` (create, update, delete one
 * file) and `POST .../contents` (several operations), each one commit on `branch` (or on
 * `new_branch`, made from it). The commit is built inside the repository's object and its ref
 * moves through the same planner, branch rules and webhook announcement as a push's.
 */

import { Hono } from 'hono';
import { commitIdentity, noReplyHost } from '../auth/commit-identity';
import { findRepoSetting } from '../db/repo-settings';
import type { RepoRecord } from '../db/repos';
import { findUserById } from '../db/users';
import type { CommitFilesResult, CommitPerson, FileOperation } from '../git/edit/commit-files';
import { decodePath } from '../services/decode-path';
import { pushProtection } from '../services/protection';
import { readOnlyReason } from '../services/read-only';
import { repoClient } from '../services/repo-client';
import { publicOrigin } from '../webhooks/config';
import { type JsonObject, optionalString, readJsonObject } from './body';
import {
  ContentBudget,
  commitMessage,
  commitPeople,
  fileOperation,
  filePath,
  MAX_OPERATIONS,
  maxBodyBytes,
  maxContentsBytes,
} from './contents-input';
import { type ApiContext, type AppEnv, requestOrigin, requireActor, requireRepo } from './context';
import { ApiError, archivedError, badRequest, forbidden, invalid, notFound, unauthorized } from './errors';
import { contentsJson, fileCommitJson, UNSIGNED } from './git-data-json';
import { describe } from './openapi/describe';
import {
  ChangeFilesOptionsSchema,
  CreateFileOptionsSchema,
  DeleteFileOptionsSchema,
  FileResponseSchema,
  FilesResponseSchema,
  UpdateFileOptionsSchema,
} from './schemas/git-data';
import { BRANCH_NAME_MAX, isValidBranchName } from './validate';

export const contentsWriteApi = new Hono<AppEnv>();

const REPO = '/api/v1/repos/:owner/:repo';

type Committed = Extract<CommitFilesResult, { kind: 'committed' }>;

/** The refusal's status as Gitea's: 422 for the request's content, 404 for what is missing, 403 for a rule. */
function refusal(r: Exclude<CommitFilesResult, { kind: 'committed' }>): ApiError {
  switch (r.kind) {
    case 'invalid':
      return invalid(r.message);
    case 'missing':
      return notFound(r.message);
    case 'declined':
      return forbidden(r.reason);
    case 'stale':
      return new ApiError(409, `${r.message}; try again`);
  }
}

function branchField(o: JsonObject, key: string): string | undefined {
  const v = optionalString(o, key, BRANCH_NAME_MAX);
  if (v === undefined || v === '') return undefined;
  if (!isValidBranchName(v)) throw invalid(`${key} '${v}' is not a valid branch name`);
  return v;
}

interface Written {
  readonly repo: RepoRecord;
  readonly result: Committed;
  readonly ops: FileOperation[];
  readonly message: string;
  readonly author: CommitPerson;
  readonly committer: CommitPerson;
}

/** Reads the body, checks the caller may write, and makes the commit. */
async function write(
  c: ApiContext,
  operations: (body: JsonObject, budget: ContentBudget) => FileOperation[],
): Promise<Written> {
  const access = await requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'write');
  const actor = requireActor(c, { level: 'write', area: 'repository' });
  const repo = access.repo;
  if ((await findRepoSetting(c.env.DB, repo.id)).archived) throw archivedError();
  const readOnly = await readOnlyReason(c.env, repo.id);
  if (readOnly) throw forbidden(readOnly);
  const body = await readJsonObject(c, maxBodyBytes(c.env));
  const ops = operations(body, new ContentBudget(maxContentsBytes(c.env)));
  const user = await findUserById(c.env.DB, actor.userId);
  if (!user) throw unauthorized();
  const doer = commitIdentity(user, noReplyHost(c.env, c.req.url));
  const { author, committer } = commitPeople(body, doer, Math.floor(Date.now() / 1000));
  const message = commitMessage(body, ops, committer);
  const result = await repoClient(c.env, repo).commitFiles(
    {
      branch: branchField(body, 'branch') ?? '',
      newBranch: branchField(body, 'new_branch'),
      operations: ops,
      message,
      author,
      committer,
      protection: await pushProtection(c.env.DB, repo.id, actor.username),
    },
    { pusherId: actor.userId, origin: publicOrigin(c.env, c.req.url) },
  );
  if (result.kind !== 'committed') throw refusal(result);
  return { repo, result, ops, message, author, committer };
}

/** Gitea's FileCommitResponse of the new commit (built from what was committed, no re-read). */
function commitOf(c: ApiContext, w: Written) {
  return fileCommitJson(requestOrigin(c), w.repo, {
    oid: w.result.commit,
    tree: w.result.tree,
    parents: w.result.parents,
    author: w.author,
    committer: w.committer,
    message: `${w.message.replace(/\s+$/, '')}\n`,
    summary: w.message.split('\n')[0] ?? '',
  });
}

/** Gitea's ContentsResponse of each written file (null for a deleted one). */
function filesOf(c: ApiContext, w: Written) {
  const branch = w.result.ref.replace(/^refs\/heads\//, '');
  return w.result.files.map((f, i) => {
    if (f.oid === null) return null;
    return contentsJson(requestOrigin(c), w.repo, branch, {
      name: f.path.split('/').pop() ?? '',
      path: f.path,
      oid: f.oid,
      type: f.mode === '120000' ? 'symlink' : 'file',
      size: f.size,
      lastCommitSha: w.result.commit,
      content: f.mode === '120000' ? null : (w.ops[i]?.content ?? null),
    });
  });
}

function pathParam(c: ApiContext): string {
  const marker = '/contents/';
  const tail = c.req.path.slice(c.req.path.indexOf(marker) + marker.length);
  const decoded = decodePath(tail);
  if (decoded === null) throw badRequest(`the path '${tail}' holds a malformed percent-escape`);
  return filePath(decoded);
}

/** One file's create (201), update or delete (200): Gitea's FileResponse / FileDeleteResponse. */
async function single(c: ApiContext, operation: 'create' | 'update' | 'delete', status: 200 | 201) {
  const path = pathParam(c);
  const w = await write(c, (body, budget) => [fileOperation({ ...body, operation, path }, budget)]);
  const [content] = filesOf(c, w);
  return c.json({ content: content ?? null, commit: commitOf(c, w), verification: UNSIGNED }, status);
}

contentsWriteApi.post(
  `${REPO}/contents`,
  describe({
    summary: 'Modify multiple files in a repository',
    tags: ['repository'],
    operationId: 'repoChangeFiles',
    body: ChangeFilesOptionsSchema,
    responses: { 201: FilesResponseSchema },
  }),
);
/** Several operations in one commit: Gitea's FilesResponse (201). */
contentsWriteApi.post(`${REPO}/contents`, async (c) => {
  const w = await write(c, (body, budget) => {
    const files = body.files;
    if (!Array.isArray(files) || files.length === 0)
      throw invalid('files must be a non-empty array of operations');
    if (files.length > MAX_OPERATIONS) throw invalid(`files may hold at most ${MAX_OPERATIONS} operations`);
    return files.map((f) => fileOperation(f, budget));
  });
  return c.json({ files: filesOf(c, w), commit: commitOf(c, w), verification: UNSIGNED }, 201);
});

// After `.../contents`: Hono's `/contents/*` also matches the bare `/contents`.
contentsWriteApi.post(
  `${REPO}/contents/*`,
  describe({
    summary: 'Create a file in a repository',
    tags: ['repository'],
    operationId: 'repoCreateFile',
    params: { filepath: 'path of the file to create' },
    body: CreateFileOptionsSchema,
    responses: { 201: FileResponseSchema },
  }),
);
contentsWriteApi.post(`${REPO}/contents/*`, (c) => single(c, 'create', 201));
contentsWriteApi.put(
  `${REPO}/contents/*`,
  describe({
    summary: 'Update a file in a repository',
    tags: ['repository'],
    operationId: 'repoUpdateFile',
    params: { filepath: 'path of the file to update' },
    body: UpdateFileOptionsSchema,
    responses: { 200: FileResponseSchema },
  }),
);
contentsWriteApi.put(`${REPO}/contents/*`, (c) => single(c, 'update', 200));
contentsWriteApi.delete(
  `${REPO}/contents/*`,
  describe({
    summary: 'Delete a file in a repository',
    tags: ['repository'],
    operationId: 'repoDeleteFile',
    params: { filepath: 'path of the file to delete' },
    body: DeleteFileOptionsSchema,
    responses: { 200: { description: 'FileDeleteResponse (content is null)', schema: FileResponseSchema } },
  }),
);
contentsWriteApi.delete(`${REPO}/contents/*`, (c) => single(c, 'delete', 200));
