// A release's assets (Gitea's API): upload, list, read, rename, delete. The bytes go to R2 as they
// arrive (upload.ts: a multipart form or a raw body; past MAX_ASSET_BYTES 413, nothing kept).
import { Hono } from 'hono';
import { z } from 'zod';
import {
  createAsset,
  deleteAsset,
  getAsset,
  getAssetByName,
  type ReleaseAssetRecord,
  renameAsset,
} from '../db/releases';
import { ASSETS_PER_RELEASE_MAX, deleteBlobs, newBlobKey } from '../services/releases';
import { readJsonObject, requiredString } from './body';
import { type ApiContext, type AppEnv, requestOrigin } from './context';
import { conflict, invalid, notFound } from './errors';
import { pathNumber } from './issue-access';
import { describe } from './openapi/describe';
import { assetJson } from './release-json';
import { requireRelease } from './releases';
import { AttachmentSchema } from './schemas/release';
import { checkedFileName, receiveUpload } from './upload';

export const releaseAssetsApi = new Hono<AppEnv>();

const ASSETS = '/api/v1/repos/:owner/:repo/releases/:id/assets';

releaseAssetsApi.post(
  ASSETS,
  describe({
    summary: 'Create a release attachment',
    tags: ['repository'],
    operationId: 'repoCreateReleaseAttachment',
    responses: { 201: AttachmentSchema },
  }),
);
releaseAssetsApi.post(ASSETS, async (c) => {
  const { release, ...access } = await requireRelease(c, 'write');
  if (release.assets.length >= ASSETS_PER_RELEASE_MAX)
    throw invalid(`a release may have at most ${ASSETS_PER_RELEASE_MAX} assets`);
  const key = newBlobKey(access.repo.id);
  const taken = (name: string) => conflict(`the release already has an asset named ${name}`);
  const file = await receiveUpload(c, key, async (name) => {
    if (await getAssetByName(c.env.DB, release.id, name)) throw taken(name);
  });
  const asset = await createAsset(c.env.DB, {
    releaseId: release.id,
    repoId: access.repo.id,
    name: file.name,
    size: file.size,
    contentType: 'application/octet-stream',
    blobKey: key,
    uploaderId: access.actor!.userId,
  });
  if (asset === 'conflict') {
    await deleteBlobs(c.env, [key]);
    throw taken(file.name);
  }
  return c.json(assetJson(requestOrigin(c), access.repo, release, asset), 201);
});

releaseAssetsApi.get(
  ASSETS,
  describe({
    summary: 'List release’s attachments',
    tags: ['repository'],
    operationId: 'repoListReleaseAttachments',
    responses: { 200: z.array(AttachmentSchema) },
  }),
);
releaseAssetsApi.get(ASSETS, async (c) => {
  const { release, repo } = await requireRelease(c, 'read');
  const origin = requestOrigin(c);
  return c.json(release.assets.map((a) => assetJson(origin, repo, release, a)));
});

async function requireAsset(c: ApiContext, action: 'read' | 'write') {
  const access = await requireRelease(c, action);
  const asset = await getAsset(c.env.DB, access.release.id, pathNumber(c.req.param('asset_id'), 'asset'));
  if (!asset) throw notFound('asset not found');
  return { ...access, asset };
}

function assetAnswer(c: ApiContext, a: Awaited<ReturnType<typeof requireAsset>>, asset: ReleaseAssetRecord) {
  return c.json(assetJson(requestOrigin(c), a.repo, a.release, asset));
}

releaseAssetsApi.get(
  `${ASSETS}/:asset_id`,
  describe({
    summary: 'Get a release attachment',
    tags: ['repository'],
    operationId: 'repoGetReleaseAttachment',
    responses: { 200: AttachmentSchema },
  }),
);
releaseAssetsApi.get(`${ASSETS}/:asset_id`, async (c) => {
  const access = await requireAsset(c, 'read');
  return assetAnswer(c, access, access.asset);
});

releaseAssetsApi.patch(
  `${ASSETS}/:asset_id`,
  describe({
    summary: 'Edit a release attachment',
    tags: ['repository'],
    operationId: 'repoEditReleaseAttachment',
    responses: { 201: AttachmentSchema },
  }),
);
releaseAssetsApi.patch(`${ASSETS}/:asset_id`, async (c) => {
  const access = await requireAsset(c, 'write');
  const name = checkedFileName(requiredString(await readJsonObject(c), 'name', 1000));
  if (name !== access.asset.name && (await renameAsset(c.env.DB, access.asset.id, name)) === 'conflict')
    throw conflict(`the release already has an asset named ${name}`);
  return assetAnswer(c, access, { ...access.asset, name });
});

releaseAssetsApi.delete(
  `${ASSETS}/:asset_id`,
  describe({
    summary: 'Delete a release attachment',
    tags: ['repository'],
    operationId: 'repoDeleteReleaseAttachment',
    responses: { 204: 'deleted' },
  }),
);
releaseAssetsApi.delete(`${ASSETS}/:asset_id`, async (c) => {
  const { asset } = await requireAsset(c, 'write');
  await deleteAsset(c.env.DB, asset.id);
  await deleteBlobs(c.env, [asset.blobKey]);
  return c.body(null, 204);
});
