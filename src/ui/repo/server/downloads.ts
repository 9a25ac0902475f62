/**
 * `/raw/{ref}/{path}` and `/archive/{ref}.zip|.tar.gz` on the web side: the same permission
 * decision as the pages, then the API's response builders (one place for the safety headers).
 */
import { env } from 'cloudflare:workers';
import { ApiError } from '../../../api/errors';
import { archiveResponse, parseArchiveName, rawFileResponse } from '../../../api/repo-content';
import { authenticatePage } from '../../../auth/authenticate';
import { repoPermission } from '../../../auth/permission';
import { BrowseError } from '../../../git/browse/errors';
import { edgeCached, isImmutableRef } from '../../../http/edge-cache';
import { browseErrorStatus, expectKind } from '../../../services/browse';
import { repoClient } from '../../../services/repo-client';

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
      return status === 404 ? notFoundResponse(e.message) : new Response(`${e.message}\n`, { status });
    }
    if (e instanceof ApiError)
      return e.status === 404
        ? notFoundResponse(e.message)
        : new Response(`${e.message}\n`, { status: e.status });
    throw e;
  }
}

export function rawDownload(
  request: Request,
  owner: string,
  repoName: string,
  splat: string,
): Promise<Response> {
  return guarded(request, owner, repoName, async (repo) => {
    const policy = { isPublic: !repo.private, immutable: isImmutableRef(splat) };
    return edgeCached(request, policy, async () =>
      rawFileResponse(
        expectKind(await repoClient(env, repo).browse({ kind: 'raw', at: { refPath: splat } }), 'raw'),
        request.method,
      ),
    );
  });
}

export function archiveDownload(
  request: Request,
  owner: string,
  repoName: string,
  name: string,
): Promise<Response> {
  return guarded(request, owner, repoName, (repo) => {
    const policy = { isPublic: !repo.private, immutable: isImmutableRef(parseArchiveName(name)?.ref ?? '') };
    return edgeCached(request, policy, () => archiveResponse(env, repo, name));
  });
}
