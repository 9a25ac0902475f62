/**
 * Raw files and archives, for the API and the pages alike (one place for their safety headers):
 * the bytes stream from the repository's object to the client, never whole in memory here.
 */

import type { RepoRecord } from '../db/repos';
import { BrowseError } from '../git/browse/errors';
import type { Locator } from '../git/browse/request';
import { admissionWaitOf } from './admission-wait';
import { type BrowseOk, expectKind } from './browse';
import { edgeCached, isImmutableRef } from './edge-cache';
import { lfsRaw } from './lfs/content';
import { repoClient } from './repo-client';

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  avif: 'image/avif',
};

export function imageType(path: string): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return Object.hasOwn(IMAGE_TYPES, ext) ? IMAGE_TYPES[ext] : null;
}

/**
 * A raw file answer that cannot run in the site's origin: text (HTML and SVG included) is served
 * as text/plain, known raster images as themselves, anything else binary as a download; always
 * sandboxed and never sniffed.
 */
export function rawFileResponse(r: BrowseOk<'raw'>, method: string): Response {
  const name = r.path.split('/').pop() ?? 'file';
  const headers = new Headers({
    'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(r.size),
    ETag: `"${r.oid}"`,
    'Cache-Control': 'private, max-age=60',
  });
  const image = imageType(r.path);
  if (image) headers.set('Content-Type', image);
  else if (r.binary) {
    headers.set('Content-Type', 'application/octet-stream');
    headers.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
  } else headers.set('Content-Type', 'text/plain; charset=utf-8');
  if (method === 'HEAD') {
    void r.body.cancel();
    return new Response(null, { headers });
  }
  return new Response(r.body, { headers });
}

/** Split `name.zip` / `name.tar.gz` into a ref and a format. */
export function parseArchiveName(name: string): { ref: string; format: 'zip' | 'tar.gz' } | null {
  if (name.endsWith('.zip')) return { ref: name.slice(0, -4), format: 'zip' };
  if (name.endsWith('.tar.gz')) return { ref: name.slice(0, -7), format: 'tar.gz' };
  return null;
}

async function archiveResponse(
  env: Env,
  repo: RepoRecord,
  name: string,
  admissionWaitMs?: number,
): Promise<Response> {
  const parsed = parseArchiveName(name);
  if (!parsed || parsed.ref === '')
    throw new BrowseError('PATH_NOT_FOUND', 'archive name must end in .zip or .tar.gz');
  const prefix = `${repo.name}-${parsed.ref.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
  const request = { kind: 'archive', ref: parsed.ref, format: parsed.format, prefix } as const;
  const r = expectKind(await repoClient(env, repo).browse(request, admissionWaitMs), 'archive');
  return new Response(r.body, {
    headers: {
      'Content-Type': parsed.format === 'zip' ? 'application/zip' : 'application/gzip',
      'Content-Disposition': `attachment; filename="${prefix}.${parsed.format}"`,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** `GET|HEAD .../raw/...`: the file at `at`, edge-cached when public and at a commit id. */
export function rawDownload(env: Env, request: Request, repo: RepoRecord, at: Locator): Promise<Response> {
  const ref = 'refPath' in at ? at.refPath : at.ref;
  const policy = { isPublic: !repo.private, immutable: isImmutableRef(ref) };
  return edgeCached(request, policy, async () => {
    const raw = expectKind(await repoClient(env, repo).browse({ kind: 'raw', at }), 'raw');
    // A Git LFS pointer answers the file it stands for.
    return rawFileResponse(await lfsRaw(env, repo, raw), request.method);
  });
}

/** `GET .../archive/{ref}.zip|.tar.gz`, edge-cached when public and at a commit id. */
export function archiveDownload(
  env: Env,
  request: Request,
  repo: RepoRecord,
  name: string,
): Promise<Response> {
  const policy = { isPublic: !repo.private, immutable: isImmutableRef(parseArchiveName(name)?.ref ?? '') };
  return edgeCached(request, policy, () => archiveResponse(env, repo, name, admissionWaitOf(request, env)));
}
