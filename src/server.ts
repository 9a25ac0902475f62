import startEntry from '@tanstack/react-start/server-entry';
import { api } from './api/app';
import { renamedOwnerRedirect } from './http/renamed-owner';

export { LiveObject } from './live/live-object';
export { RepoObject } from './storage/repo-object';

// Git's Smart HTTP endpoints: /{owner}/{repo}(.git)/info/refs, git-upload-pack, git-receive-pack.
const GIT_PATH = /^\/[^/]+\/[^/]+?(?:\.git)?\/(?:info\/refs|git-upload-pack|git-receive-pack)$/;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/api/')) return api.fetch(request, env, ctx);
    if (GIT_PATH.test(url.pathname)) {
      const { handleGit } = await import('./http/git');
      return handleGit(request, env);
    }
    const moved = await renamedOwnerRedirect(request, env.DB);
    if (moved) return moved;
    return startEntry.fetch(request, { context: {} } as never);
  },
} satisfies ExportedHandler<Env>;
