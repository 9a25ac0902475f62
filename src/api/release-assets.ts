// A release's assets (Gitea's API): upload, list, read, rename, delete. The bytes go to R2 as they
// arrive (src/storage/blob-put.ts), from a multipart form's `attachment` field read as a stream
// (src/http/multipart-file.ts) or from a raw body with `?name=`, as Gitea accepts both; an upload
// past MAX_ASSET_BYTES is refused with 413 and leaves nothing behind.
import { Hono } from 'hono';
import {
  createAsset,
  deleteAsset,
  getAsset,
  getAssetByName,
  type ReleaseAssetRecord,
  renameAsset,
} from '../db/releases';
import { findFilePart, MultipartError, multipartBoundary } from '../http/multipart-file';
import {
  ASSETS_PER_RELEASE_MAX,
  assetNameProblem,
  deleteBlobs,
  maxAssetBytes,
  newBlobKey,
} from '../services/releases';
import { putStream } from '../storage/blob-put';
import { readJsonObject, requiredString } from './body';
import { type ApiContext, type AppEnv, requestOrigin } from './context';
import { ApiError, badRequest, conflict, invalid, notFound } from './errors';
import { pathNumber } from './issue-access';
import { assetJson } from './release-json';
import { requireRelease } from './releases';

export const releaseAssetsApi = new Hono<AppEnv>();

const ASSETS = '/api/v1/repos/:owner/:repo/releases/:id/assets';

function checkedName(name: string): string {
  const problem = assetNameProblem(name);
  if (problem) throw invalid(problem);
  return name;
}

/** The upload's bytes and name: the multipart field `attachment`, or the raw body. */
async function uploadSource(c: ApiContext): Promise<{ name: string; body: ReadableStream<Uint8Array> }> {
  const body = c.req.raw.body;
  if (!body) throw invalid('the asset\'s bytes are required (multipart field "attachment" or a raw body)');
  const query = c.req.query('name');
  const boundary = multipartBoundary(c.req.header('content-type'));
  if (!boundary) {
    if (query === undefined) throw invalid('name is required for a raw upload (?name=)');
    return { name: checkedName(query), body };
  }
  let part: Awaited<ReturnType<typeof findFilePart>>;
  try {
    part = await findFilePart(body, boundary, 'attachment');
  } catch (e) {
    if (e instanceof MultipartError) throw badRequest(e.message);
    throw e;
  }
  if (!part) throw invalid('the multipart field "attachment" is required');
  return { name: checkedName(query ?? part.filename ?? ''), body: part.body };
}

releaseAssetsApi.post(ASSETS, async (c) => {
  const { release, ...access } = await requireRelease(c, 'write');
  const cap = maxAssetBytes(c.env);
  const tooLarge = () => new ApiError(413, `an asset may be at most ${cap} bytes`);
  const multipart = multipartBoundary(c.req.header('content-type')) !== null;
  // A raw body's length is the asset's: refuse it before reading a byte.
  if (!multipart && Number(c.req.header('content-length') ?? 0) > cap) throw tooLarge();
  if (release.assets.length >= ASSETS_PER_RELEASE_MAX)
    throw invalid(`a release may have at most ${ASSETS_PER_RELEASE_MAX} assets`);
  const source = await uploadSource(c);
  if (await getAssetByName(c.env.DB, release.id, source.name))
    throw conflict(`the release already has an asset named ${source.name}`);
  const key = newBlobKey(access.repo.id);
  let stored: Awaited<ReturnType<typeof putStream>>;
  try {
    stored = await putStream(c.env.BLOBS, key, source.body, { maxBytes: cap });
  } catch (e) {
    if (e instanceof MultipartError) throw badRequest(e.message);
    throw e;
  }
  if (stored.kind === 'too_large') throw tooLarge();
  const asset = await createAsset(c.env.DB, {
    releaseId: release.id,
    repoId: access.repo.id,
    name: source.name,
    size: stored.size,
    contentType: 'application/octet-stream',
    blobKey: key,
    uploaderId: access.actor!.userId,
  });
  if (asset === 'conflict') {
    await deleteBlobs(c.env, [key]);
    throw conflict(`the release already has an asset named ${source.name}`);
  }
  return c.json(assetJson(requestOrigin(c), access.repo, release, asset), 201);
});

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

releaseAssetsApi.get(`${ASSETS}/:asset_id`, async (c) => {
  const access = await requireAsset(c, 'read');
  return assetAnswer(c, access, access.asset);
});

releaseAssetsApi.patch(`${ASSETS}/:asset_id`, async (c) => {
  const access = await requireAsset(c, 'write');
  const name = checkedName(requiredString(await readJsonObject(c), 'name', 1000));
  if (name !== access.asset.name && (await renameAsset(c.env.DB, access.asset.id, name)) === 'conflict')
    throw conflict(`the release already has an asset named ${name}`);
  return assetAnswer(c, access, { ...access.asset, name });
});

releaseAssetsApi.delete(`${ASSETS}/:asset_id`, async (c) => {
  const { asset } = await requireAsset(c, 'write');
  await deleteAsset(c.env.DB, asset.id);
  await deleteBlobs(c.env, [asset.blobKey]);
  return c.body(null, 204);
});
