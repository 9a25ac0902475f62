import startEntry from '@tanstack/react-start/server-entry';
import { api } from './api/app';
import { movedRepoRedirect } from './http/moved-repo';
import { renamedOwnerRedirect } from './http/renamed-owner';
import { decodePath } from './services/decode-path';
import { runImportStep } from './services/gitea-import/run';
import { outboundRemoteAccess } from './services/outbound/remote-access';
import { provideImportRunner } from './storage/import-runner';
import { provideRemoteAccess } from './storage/remote-access';
import { answerPage } from './ui/busy-answer';

export { RateLimiter } from './auth/rate-limiter-object';
export { LiveObject } from './live/live-object';
export { BlobSweeper } from './storage/blob-sweeper';
export { RepoObject } from './storage/repo-object';
export { HookQueue } from './webhooks/queue-object';

// The repository objects reach other servers only as this server's outgoing policy allows.
provideRemoteAccess(outboundRemoteAccess);
// A Gitea-service migration's import runs on the repository object's alarm, step by step.
provideImportRunner({ step: runImportStep });

// Git's Smart HTTP endpoints: /{owner}/{repo}(.git)/info/refs, git-upload-pack, git-receive-pack.
const GIT_PATH = /^\/[^/]+\/[^/]+?(?:\.git)?\/(?:info\/refs|git-upload-pack|git-receive-pack)$/;
// Git LFS: /{owner}/{repo}(.git)/info/lfs/... (batch, transfers, locks).
const LFS_PATH = /^\/[^/]+\/[^/]+\/info\/lfs\//;

function badPathPage(): Response {
  const html =
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bad request · Gitflare</title></head>' +
    '<body><h1>Bad request</h1><p>This address holds a malformed percent-escape (such as <code>%E0</code>' +
    ' or a lone <code>%</code>), so it names no page.</p><p><a href="/">Gitflare home</a></p></body></html>';
  return new Response(html, { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/api/') || url.pathname === '/swagger.v1.json')
      return api.fetch(request, env, ctx);
    if (GIT_PATH.test(url.pathname)) {
      const { handleGit } = await import('./http/git');
      return handleGit(request, env);
    }
    if (LFS_PATH.test(url.pathname)) {
      const { handleLfs } = await import('./http/lfs/app');
      return handleLfs(request, env, ctx);
    }
    // The pages' router answers an empty 400 for such a path; say what is wrong instead.
    if (decodePath(url.pathname) === null) return badPathPage();
    const moved = await renamedOwnerRedirect(request, env.DB);
    if (moved) return moved;
    const transferred = await movedRepoRedirect(request, env.DB);
    if (transferred) return transferred;
    // A page that found its repository busy answers 503 (see ui/busy-answer.ts).
    return answerPage(() => startEntry.fetch(request, { context: {} } as never));
  },
} satisfies ExportedHandler<Env>;
