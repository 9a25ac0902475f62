/** `/releases/download/{tag}/{name}` and `/attachments/{uuid}` on the web side: the pages'
 * permission decision, then the services' download (drafts' assets only for writers). */
import { env } from 'cloudflare:workers';
import type { Permission } from '../../../auth/access';
import { authenticatePage } from '../../../auth/authenticate';
import { repoPermission } from '../../../auth/permission';
import type { RepoRecord } from '../../../db/repos';
import { attachmentDownload } from '../../../services/attachments';
import { assetDownload } from '../../../services/releases';

type Download = (
  env: Env,
  request: Request,
  repo: RepoRecord,
  permission: Permission,
  rest: string,
) => Promise<Response>;

async function guarded(request: Request, owner: string, repoName: string, rest: string, run: Download) {
  const found = await repoPermission(env, await authenticatePage(request, env), owner, repoName);
  if (!found) {
    return new Response('Not found\n', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    });
  }
  return run(env, request, found.repo, found.permission, rest);
}

export function pageAssetDownload(request: Request, owner: string, repoName: string, splat: string) {
  return guarded(request, owner, repoName, splat, assetDownload);
}

export function pageAttachmentDownload(request: Request, owner: string, repoName: string, uuid: string) {
  return guarded(request, owner, repoName, uuid, attachmentDownload);
}
