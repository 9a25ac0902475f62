/**
 * What the API and the pages share about releases: who sees drafts, their URLs, where assets'
 * bytes live in R2 (binding BLOBS, `releases/{repoId}/{uuid}`), publishing a release's tag, and
 * an asset's download with its safety headers.
 */
import { can, type Permission } from '../auth/access';
import {
  countDownload,
  getAssetByName,
  getReleaseByTag,
  type ReleaseAssetRecord,
  type ReleaseRecord,
} from '../db/releases';
import type { RepoRecord } from '../db/repos';
import { isValidRefName } from '../git/refname';
import { repoClient } from './repo-client';

/** An asset's size cap when MAX_ASSET_BYTES is not set: 2 GiB, Gitea's default attachment cap. */
const DEFAULT_MAX_ASSET_BYTES = 2 * 1024 * 1024 * 1024;

export const TAG_NAME_MAX = 255;
export const ASSET_NAME_MAX = 255;
/** Assets one release may hold (GitHub's limit). */
export const ASSETS_PER_RELEASE_MAX = 1000;

export function maxAssetBytes(env: Env): number {
  const n = Number(env.MAX_ASSET_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_ASSET_BYTES;
}

/** Drafts are seen by those who may write to the repository only. */
export function seesDrafts(permission: Permission): boolean {
  return can(permission, 'write');
}

export function releaseVisible(release: ReleaseRecord, permission: Permission): boolean {
  return !release.draft || seesDrafts(permission);
}

const segments = (s: string) => s.split('/').map(encodeURIComponent).join('/');
const repoBase = (r: Pick<RepoRecord, 'owner' | 'name'>) =>
  `/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`;

export function releasesPath(repo: Pick<RepoRecord, 'owner' | 'name'>): string {
  return `${repoBase(repo)}/releases`;
}

export function releasePath(repo: Pick<RepoRecord, 'owner' | 'name'>, tag: string): string {
  return `${repoBase(repo)}/releases/tag/${segments(tag)}`;
}

export function releaseDownloadPath(
  repo: Pick<RepoRecord, 'owner' | 'name'>,
  tag: string,
  name: string,
): string {
  return `${repoBase(repo)}/releases/download/${segments(tag)}/${encodeURIComponent(name)}`;
}

/** Why a tag name cannot be a release's, or null. */
export function tagNameProblem(tag: string): string | null {
  if (tag === '') return 'tag_name is required';
  if (tag.length > TAG_NAME_MAX) return `tag_name must be at most ${TAG_NAME_MAX} characters`;
  if (!isValidRefName(`refs/tags/${tag}`)) return `tag_name "${tag}" is not a valid tag name`;
  return null;
}

/** Why an asset name cannot be used, or null: a plain file name, as it ends the download URL. */
export function assetNameProblem(name: string): string | null {
  if (name.trim() === '') return 'name is required';
  if (name.length > ASSET_NAME_MAX) return `name must be at most ${ASSET_NAME_MAX} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..')
    return 'name must be a file name (no slashes or control characters)';
  return null;
}

export function newBlobKey(repoId: number): string {
  return `releases/${repoId}/${crypto.randomUUID()}`;
}

/** Deletes assets' bytes (R2 deletes at most 1000 keys a call). */
export async function deleteBlobs(env: Env, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) await env.BLOBS.delete(keys.slice(i, i + 1000));
}

/** `created`: the commit of the tag this call created (null when it existed already). */
export type PublishOutcome = { ok: true; created: string | null } | { ok: false; message: string };

/**
 * A published release's tag must exist: create it from `target` ('' for the default branch)
 * through the repository's ref rules when it does not (drafts wait until they are published).
 */
export async function ensureTag(
  env: Env,
  repo: RepoRecord,
  tag: string,
  target: string,
): Promise<PublishOutcome> {
  const r = await repoClient(env, repo).createTag(tag, target);
  switch (r.kind) {
    case 'created':
      return { ok: true, created: r.commit };
    case 'exists':
      return { ok: true, created: null };
    case 'target_not_found':
      return {
        ok: false,
        message: `target_commitish "${target}" is not a branch, tag or commit: ${r.message}`,
      };
    case 'refused':
      return { ok: false, message: `tag ${tag} cannot be created: ${r.reason}` };
  }
}

function textResponse(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** The download's headers: always an attachment, never sniffed, never run in the site's origin. */
export function assetHeaders(asset: ReleaseAssetRecord): Headers {
  return new Headers({
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(asset.name)}`,
    'Content-Length': String(asset.size),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'Cache-Control': 'private, no-cache',
  });
}

/**
 * `/{owner}/{repo}/releases/download/{tag}/{name}` for a caller with `permission` on the
 * repository: the asset's bytes streamed from R2, its download counted. Drafts' assets are
 * missing to those who cannot see drafts.
 */
export async function assetDownload(
  env: Env,
  request: Request,
  repo: RepoRecord,
  permission: Permission,
  tagAndName: string,
): Promise<Response> {
  const slash = tagAndName.lastIndexOf('/');
  if (slash <= 0) return textResponse(404, 'Not found');
  const release = await getReleaseByTag(env.DB, repo.id, tagAndName.slice(0, slash));
  if (!release || !releaseVisible(release, permission)) return textResponse(404, 'release not found');
  const asset = await getAssetByName(env.DB, release.id, tagAndName.slice(slash + 1));
  if (!asset) return textResponse(404, 'asset not found');
  const headers = assetHeaders(asset);
  if (request.method === 'HEAD') return new Response(null, { headers });
  const object = await env.BLOBS.get(asset.blobKey);
  if (!object) return textResponse(404, 'asset not found');
  await countDownload(env.DB, asset.id);
  return new Response(object.body, { headers });
}
