// Git LFS over HTTP at /{owner}/{repo}(.git)/info/lfs/...: the batch API, the basic transfer and
// the locks API, answered in git-lfs's JSON media type and authorised as git is.
import { Hono } from 'hono';
import { onApiError } from '../../api/errors';
import { drainBody } from '../drain-body';
import { batchApi } from './batch';
import { LFS_MEDIA_TYPE, type LfsEnv, LfsRefusal, lfsJson } from './common';
import { locksApi } from './locks';
import { objectsApi } from './objects';

export const lfsApp = new Hono<LfsEnv>();

lfsApp.onError((err, c) => {
  if (err instanceof LfsRefusal) return lfsJson({ message: err.message }, err.status, err.headers);
  const res = onApiError(err, c);
  res.headers.set('Content-Type', LFS_MEDIA_TYPE);
  return res;
});

lfsApp.notFound(() => lfsJson({ message: 'Not found' }, 404));
lfsApp.route('/', batchApi);
lfsApp.route('/', objectsApi);
lfsApp.route('/', locksApi);

/** A refusal answered before the upload is read would break the connection git-lfs reuses. */
export async function handleLfs(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const response = await lfsApp.fetch(request, env, ctx);
  if (response.status >= 400) await drainBody(request);
  return response;
}
