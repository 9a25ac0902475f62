/**
 * Comment attachments' downloads, for the pages' `/{owner}/{repo}/attachments/{uuid}`: known
 * raster images are served as themselves (so the markdown shows them), anything else as an
 * attachment; never sniffed, sandboxed, whatever the file claims to be.
 */
import type { Permission } from '../auth/access';
import { countAttachmentDownload, getAttachment } from '../db/attachments';
import type { RepoRecord } from '../db/repos';
import { imageType } from './downloads';

export function attachmentPath(repo: Pick<RepoRecord, 'owner' | 'name'>, uuid: string): string {
  return `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/attachments/${uuid}`;
}

/** The caller already may read the repository (`_permission` is at least read). */
export async function attachmentDownload(
  env: Env,
  request: Request,
  repo: RepoRecord,
  _permission: Permission,
  uuid: string,
): Promise<Response> {
  const a = /^[0-9a-f-]{36}$/.test(uuid) ? await getAttachment(env.DB, repo.id, uuid) : null;
  const object = a ? await env.BLOBS.get(a.blobKey) : null;
  if (!a || !object) {
    return new Response('Not found\n', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    });
  }
  const headers = new Headers({
    'Content-Length': String(a.size),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'Cache-Control': 'private, max-age=60',
  });
  const image = imageType(a.name);
  headers.set('Content-Type', image ?? 'application/octet-stream');
  headers.set(
    'Content-Disposition',
    `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.name)}`,
  );
  if (request.method === 'HEAD') {
    await object.body.cancel();
    return new Response(null, { headers });
  }
  await countAttachmentDownload(env.DB, a.id);
  return new Response(object.body, { headers });
}
