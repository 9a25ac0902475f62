/** `/releases/download/{tag}/{name}` on the web side: the pages' permission decision, then the
 * services' download (drafts' assets only for writers). */
import { env } from 'cloudflare:workers';
import { authenticatePage } from '../../../auth/authenticate';
import { repoPermission } from '../../../auth/permission';
import { assetDownload } from '../../../services/releases';

export async function pageAssetDownload(
  request: Request,
  owner: string,
  repoName: string,
  splat: string,
): Promise<Response> {
  const found = await repoPermission(env, await authenticatePage(request, env), owner, repoName);
  if (!found) {
    return new Response('Not found\n', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    });
  }
  return assetDownload(env, request, found.repo, found.permission, splat);
}
