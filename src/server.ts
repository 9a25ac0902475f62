import startEntry from '@tanstack/react-start/server-entry';
export { RepoObject } from './storage/repo-object';

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/version') {
      return Response.json({ version: '0.1.0' });
    }
    return startEntry.fetch(request, { context: {} } as never);
  },
} satisfies ExportedHandler<Env>;
