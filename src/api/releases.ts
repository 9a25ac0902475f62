// Releases (Gitea's API): list, create, read, edit, delete; by id, by tag, and "latest". Drafts
// exist only for those who may write to the repository. Assets are in release-assets.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import {
  createRelease,
  deleteRelease,
  getLatestRelease,
  getRelease,
  getReleaseByTag,
  listReleases,
  type ReleaseChanges,
  type ReleaseRecord,
  updateRelease,
} from '../db/releases';
import type { RepoRecord } from '../db/repos';
import {
  deleteBlobs,
  ensureTag,
  releaseVisible,
  seesDrafts,
  TAG_NAME_MAX,
  tagNameProblem,
} from '../services/releases';
import { type JsonObject, optionalBoolean, optionalString, readJsonObject } from './body';
import { type ApiContext, type AppEnv, type RepoAccess, requestOrigin, requireRepo } from './context';
import { conflict, invalid, notFound } from './errors';
import { emitReleaseEvent, emitTagCreated } from './hook-events';
import { pathNumber } from './issue-access';
import { describe } from './openapi/describe';
import { releaseJson } from './release-json';
import { ReleaseSchema } from './schemas/release';
import { pageOf } from './users';

export const releasesApi = new Hono<AppEnv>();

const REPO = '/api/v1/repos/:owner/:repo';
const NAME_MAX = 255;
const BODY_MAX = 65_536;
const MAX_RELEASE_JSON_BYTES = 128 * 1024;

function repoAccess(c: ApiContext, action: 'read' | 'write'): Promise<RepoAccess> {
  return requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', action);
}

/** The release `:id` of the repository, if the caller may see it (drafts: writers only). */
export async function requireRelease(
  c: ApiContext,
  action: 'read' | 'write',
): Promise<RepoAccess & { release: ReleaseRecord }> {
  const access = await repoAccess(c, action);
  const release = await getRelease(c.env.DB, access.repo.id, pathNumber(c.req.param('id'), 'release'));
  if (!release || !releaseVisible(release, access.permission)) throw notFound('release not found');
  return { ...access, release };
}

function answer(c: ApiContext, access: RepoAccess, release: ReleaseRecord, status: 200 | 201 = 200) {
  return c.json(releaseJson(requestOrigin(c), access.repo, release), status);
}

function checkedTag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = tagNameProblem(value);
  if (problem) throw invalid(problem);
  return value;
}

/** The fields a create or an edit may set. */
function releaseFields(body: JsonObject): ReleaseChanges {
  return {
    tagName: checkedTag(optionalString(body, 'tag_name', TAG_NAME_MAX + 1)),
    target: optionalString(body, 'target_commitish', TAG_NAME_MAX),
    name: optionalString(body, 'name', NAME_MAX),
    body: optionalString(body, 'body', BODY_MAX),
    draft: optionalBoolean(body, 'draft'),
    prerelease: optionalBoolean(body, 'prerelease'),
  };
}

/** A published release's tag exists: created from its target when it did not. */
async function publishTag(c: ApiContext, access: RepoAccess, tag: string, target: string): Promise<void> {
  const outcome = await ensureTag(c.env, access.repo, tag, target);
  if (!outcome.ok) throw invalid(outcome.message);
  if (outcome.created) emitTagCreated(c, access.repo, access.actor!.userId, tag, outcome.created);
}

function booleanQuery(v: string | undefined): boolean | undefined {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

releasesApi.get(
  `${REPO}/releases`,
  describe({
    summary: "List a repo's releases",
    tags: ['repository'],
    operationId: 'repoListReleases',
    responses: { 200: z.array(ReleaseSchema) },
  }),
);
releasesApi.get(`${REPO}/releases`, async (c) => {
  const access = await repoAccess(c, 'read');
  const { limit, offset } = pageOf(c);
  const { releases, total } = await listReleases(c.env.DB, access.repo.id, {
    includeDrafts: seesDrafts(access.permission),
    draft: booleanQuery(c.req.query('draft')),
    prerelease: booleanQuery(c.req.query('pre-release')),
    limit,
    offset,
  });
  const origin = requestOrigin(c);
  return c.json(
    releases.map((r) => releaseJson(origin, access.repo, r)),
    200,
    { 'X-Total-Count': String(total) },
  );
});

releasesApi.post(
  `${REPO}/releases`,
  describe({
    summary: 'Create a release',
    tags: ['repository'],
    operationId: 'repoCreateRelease',
    responses: { 201: ReleaseSchema },
  }),
);
releasesApi.post(`${REPO}/releases`, async (c) => {
  const access = await repoAccess(c, 'write');
  const fields = releaseFields(await readJsonObject(c, MAX_RELEASE_JSON_BYTES));
  if (fields.tagName === undefined) throw invalid('tag_name is required');
  const tag = fields.tagName;
  if (await getReleaseByTag(c.env.DB, access.repo.id, tag)) throw conflict(`a release for tag ${tag} exists`);
  const draft = fields.draft ?? false;
  const target = fields.target ?? '';
  if (!draft) await publishTag(c, access, tag, target);
  const id = await createRelease(c.env.DB, {
    repoId: access.repo.id,
    tagName: tag,
    target: target === '' ? access.repo.defaultBranch : target,
    name: fields.name ?? tag,
    body: fields.body ?? '',
    draft,
    prerelease: fields.prerelease ?? false,
    authorId: access.actor!.userId,
  });
  if (id === 'conflict') throw conflict(`a release for tag ${tag} exists`);
  const release = await getRelease(c.env.DB, access.repo.id, id);
  if (!release) throw notFound('release not found');
  if (!release.draft) emitReleaseEvent(c, access.repo, release, 'published');
  return answer(c, access, release, 201);
});

// Before `/releases/:id`, whose id would not match these anyway (ids are numbers).
releasesApi.get(
  `${REPO}/releases/latest`,
  describe({
    summary: 'Gets the most recent non-prerelease, non-draft release of a repository',
    tags: ['repository'],
    operationId: 'repoGetLatestRelease',
    responses: { 200: ReleaseSchema },
  }),
);
releasesApi.get(`${REPO}/releases/latest`, async (c) => {
  const access = await repoAccess(c, 'read');
  const release = await getLatestRelease(c.env.DB, access.repo.id);
  if (!release) throw notFound('no published release');
  return answer(c, access, release);
});

async function releaseByTag(c: ApiContext, action: 'read' | 'write') {
  const access = await repoAccess(c, action);
  const release = await getReleaseByTag(c.env.DB, access.repo.id, c.req.param('tag') ?? '');
  if (!release || !releaseVisible(release, access.permission)) throw notFound('release not found');
  return { ...access, release };
}

releasesApi.get(
  `${REPO}/releases/tags/:tag{.+}`,
  describe({
    summary: 'Get a release by tag name',
    tags: ['repository'],
    operationId: 'repoGetReleaseByTag',
    responses: { 200: ReleaseSchema },
  }),
);
releasesApi.get(`${REPO}/releases/tags/:tag{.+}`, async (c) => {
  const { release, ...access } = await releaseByTag(c, 'read');
  return answer(c, access, release);
});

async function removeRelease(c: ApiContext, repo: RepoRecord, release: ReleaseRecord): Promise<Response> {
  // The tag stays, as in Gitea: deleting a tag is a git operation of its own.
  await deleteBlobs(c.env, await deleteRelease(c.env.DB, release));
  if (!release.draft) emitReleaseEvent(c, repo, release, 'deleted');
  return c.body(null, 204);
}

releasesApi.delete(
  `${REPO}/releases/tags/:tag{.+}`,
  describe({
    summary: 'Delete a release by tag name',
    tags: ['repository'],
    operationId: 'repoDeleteReleaseByTag',
    responses: { 204: 'deleted' },
  }),
);
releasesApi.delete(`${REPO}/releases/tags/:tag{.+}`, async (c) => {
  const { release, repo } = await releaseByTag(c, 'write');
  return removeRelease(c, repo, release);
});

releasesApi.get(
  `${REPO}/releases/:id`,
  describe({
    summary: 'Get a release',
    tags: ['repository'],
    operationId: 'repoGetRelease',
    responses: { 200: ReleaseSchema },
  }),
);
releasesApi.get(`${REPO}/releases/:id`, async (c) => {
  const { release, ...access } = await requireRelease(c, 'read');
  return answer(c, access, release);
});

releasesApi.patch(
  `${REPO}/releases/:id`,
  describe({
    summary: 'Update a release',
    tags: ['repository'],
    operationId: 'repoEditRelease',
    responses: { 200: ReleaseSchema },
  }),
);
releasesApi.patch(`${REPO}/releases/:id`, async (c) => {
  const { release, ...access } = await requireRelease(c, 'write');
  const ch = releaseFields(await readJsonObject(c, MAX_RELEASE_JSON_BYTES));
  const tag = ch.tagName ?? release.tagName;
  if (tag !== release.tagName && (await getReleaseByTag(c.env.DB, access.repo.id, tag))) {
    throw conflict(`a release for tag ${tag} exists`);
  }
  if (!(ch.draft ?? release.draft)) await publishTag(c, access, tag, ch.target ?? release.target);
  if ((await updateRelease(c.env.DB, release, ch)) === 'conflict') {
    throw conflict(`a release for tag ${tag} exists`);
  }
  const updated = await getRelease(c.env.DB, access.repo.id, release.id);
  if (!updated) throw notFound('release not found');
  // Gitea: a draft made public is published; a public one edited is updated; drafts are silent.
  if (!updated.draft) emitReleaseEvent(c, access.repo, updated, release.draft ? 'published' : 'updated');
  return answer(c, access, updated);
});

releasesApi.delete(
  `${REPO}/releases/:id`,
  describe({
    summary: 'Delete a release',
    tags: ['repository'],
    operationId: 'repoDeleteRelease',
    responses: { 204: 'deleted' },
  }),
);
releasesApi.delete(`${REPO}/releases/:id`, async (c) => {
  const { release, repo } = await requireRelease(c, 'write');
  return removeRelease(c, repo, release);
});
