export async function handleGit(_request: Request, _env: Env, _ctx: ExecutionContext): Promise<Response> {
  return new Response('Git over HTTP is not wired yet\n', { status: 501 });
}
