// Better Auth under /api/auth/*. Its errors already carry {message}; duplicates are given 409 and
// bad usernames 422 so that they read like the rest of the API.
import { Hono } from 'hono';
import { authBaseURL, getAuth } from '../auth/auth';
import type { AppEnv } from './context';
import { limitSignIn } from './sign-in-limit';

export const authApi = new Hono<AppEnv>();

const STATUS_BY_CODE: Record<string, number> = {
  USERNAME_IS_ALREADY_TAKEN: 409,
  USER_ALREADY_EXISTS: 409,
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 409,
  USERNAME_TOO_SHORT: 422,
  USERNAME_TOO_LONG: 422,
  INVALID_USERNAME: 422,
};

async function remapStatus(res: Response): Promise<Response> {
  if (res.status !== 400 && res.status !== 422) return res;
  if (!(res.headers.get('content-type') ?? '').includes('application/json')) return res;
  const text = await res.text();
  let status = res.status;
  try {
    const body = JSON.parse(text) as { code?: unknown };
    if (typeof body.code === 'string' && STATUS_BY_CODE[body.code]) status = STATUS_BY_CODE[body.code];
  } catch {
    // not JSON after all: pass it on unchanged
  }
  return new Response(text, { status, headers: res.headers });
}

/**
 * Better Auth refuses POSTs without an Origin header (its CSRF defence). Browsers always send
 * Origin on POST, so a request without one comes from a script, curl or a test (which no other
 * site can make a browser send, and whose cookies are SameSite=Lax anyway): give it our origin.
 */
function withOrigin(request: Request, origin: string): Request {
  if (request.method !== 'POST' || request.headers.has('origin')) return request;
  const headers = new Headers(request.headers);
  headers.set('origin', origin);
  return new Request(request, { headers });
}

authApi.on(['GET', 'POST'], '/api/auth/*', async (c) => {
  const request = withOrigin(c.req.raw, authBaseURL(c.env, c.req.raw));
  const res = await limitSignIn(c.env, request, (r) => getAuth(c.env, r).handler(r));
  return remapStatus(res);
});
