/**
 * `/raw/{ref}/{path}` and `/archive/{ref}.zip|.tar.gz` on the web side: the same permission
 * decision as the pages, then the services' downloads (shared with the API).
 */
import { env } from 'cloudflare:workers';
import { authenticatePage } from '../../../auth/authenticate';
import { repoPermission } from '../../../auth/permission';
import { BrowseError } from '../../../git/browse/errors';
import { browseErrorStatus, busyHeaders } from '../../../services/browse';
import { archiveDownload, rawDownload } from '../../../services/downloads';

function notFoundResponse(message = 'Not found'): Response {
  return new Response(`${message}\n`, {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

async function guarded(
  request: Request,
  owner: string,
  repoName: string,
  run: (repo: NonNullable<Awaited<ReturnType<typeof repoPermission>>>['repo']) => Promise<Response>,
): Promise<Response> {
  const found = await repoPermission(env, await authenticatePage(request, env), owner, repoName);
  if (!found) return notFoundResponse();
  try {
    return await run(found.repo);
  } catch (e) {
    if (e instanceof BrowseError) {
      const status = browseErrorStatus(e.code);
      if (status === 404) return notFoundResponse(e.message);
      return new Response(`${e.message}\n`, { status, headers: busyHeaders(status) });
    }
    throw e;
  }
}

export function pageRawDownload(
  request: Request,
  owner: string,
  repoName: string,
  splat: string,
): Promise<Response> {
  return guarded(request, owner, repoName, (repo) => rawDownload(env, request, repo, { refPath: splat }));
}

export function pageArchiveDownload(
  request: Request,
  owner: string,
  repoName: string,
  name: string,
): Promise<Response> {
  return guarded(request, owner, repoName, (repo) => archiveDownload(env, request, repo, name));
}
