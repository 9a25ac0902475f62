/**
 * Edge caching of answers that depend only on an immutable object id: a file, tree or archive
 * at a full commit id of a public repository never changes, so it is kept in the Cache API and
 * served from there without waking the repository's Durable Object. Private repositories are
 * never cached (the permission check, in D1, still runs on every request and comes first).
 */
import { waitUntil } from 'cloudflare:workers';

const FULL_OID = /^[0-9a-f]{40}$/;
/** Bodies up to this size are cached while they stream to the client (tee); bigger or unknown
 * sizes are produced a second time in the background, so a slow client never makes the tee
 * buffer a whole archive in memory. */
const TEE_LIMIT = 8 * 1024 * 1024;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Whether a `{ref}` or `{ref}/{path}` names a full commit id (the only immutable refs). */
export function isImmutableRef(refOrRefPath: string): boolean {
  return FULL_OID.test(refOrRefPath.split('/')[0] ?? '');
}

export interface CachePolicy {
  /** The repository is public (anyone may read it). */
  readonly isPublic: boolean;
  /** The answer is a function of an object id only. */
  readonly immutable: boolean;
}

function cacheable(request: Request, policy: CachePolicy): boolean {
  return request.method === 'GET' && policy.isPublic && policy.immutable;
}

function withCacheHeaders(res: Response, body: ReadableStream | null): Response {
  const headers = new Headers(res.headers);
  headers.set('Cache-Control', IMMUTABLE);
  headers.set('CF-Cache-Status', 'MISS');
  return new Response(body, { status: res.status, headers });
}

export async function edgeCached(
  request: Request,
  policy: CachePolicy,
  produce: () => Promise<Response>,
): Promise<Response> {
  if (!cacheable(request, policy)) return produce();
  // Workers' CacheStorage has `default`; the DOM typings in scope do not know it.
  const cache = (caches as unknown as { default: Cache }).default;
  // Keyed by URL alone: the answer does not depend on who asks (public repository).
  const key = new Request(request.url, { method: 'GET' });
  const hit = await cache.match(key);
  if (hit) {
    const headers = new Headers(hit.headers);
    headers.set('CF-Cache-Status', 'HIT');
    return new Response(hit.body, { status: hit.status, headers });
  }
  const res = await produce();
  if (res.status !== 200 || !res.body) return res;
  const length = Number(res.headers.get('Content-Length') ?? Number.NaN);
  if (Number.isFinite(length) && length <= TEE_LIMIT) {
    const [toClient, toCache] = res.body.tee();
    waitUntil(cache.put(key, withCacheHeaders(res, toCache)));
    return withCacheHeaders(res, toClient);
  }
  waitUntil(
    produce().then((again) =>
      again.status === 200 && again.body ? cache.put(key, withCacheHeaders(again, again.body)) : undefined,
    ),
  );
  return withCacheHeaders(res, res.body);
}
