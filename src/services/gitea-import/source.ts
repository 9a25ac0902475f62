/**
 * The source server's API, as a Gitea-service migration reads it: JSON pages (`page`/`limit`,
 * `Link: rel="next"`) through the checked outgoing requests, with its rate limits respected. A
 * 429 (or a 403 saying the limit is spent) ends the step with RateLimited: the import goes on from
 * the same place once the wait it asks for (`Retry-After`, else `X-RateLimit-Reset`) is over, on
 * a later alarm rather than in a sleep. A wait past a bound fails the import with a message (it
 * can be retried later).
 */
import { type OutboundEnv, outboundFetch } from '../outbound/fetch';

/** The longest wait a source may ask for (Gitea's and GitHub's limits reset within the hour). */
const MAX_WAIT_SECONDS = 2 * 3600;
export const PAGE_LIMIT = 50;
/** A bound on one JSON answer (a page of 50 issues with long bodies stays far below). */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** The source asked to wait this many seconds before the next request. */
export class RateLimited extends Error {
  constructor(readonly seconds: number) {
    super(`the source's rate limit asks to wait ${seconds} s`);
    this.name = 'RateLimited';
  }
}

export interface SourceApi {
  readonly env: OutboundEnv;
  /** The repository's API base, without a trailing slash. */
  readonly base: string;
  readonly authorization: string | null;
  /** Requests sent to the source so far in this step (each is one of the invocation's subrequests). */
  readonly sent: { count: number };
}

/** A GET to the source; the answer when it is not a rate limit (else RateLimited is thrown). */
export async function sourceGet(api: SourceApi, url: string, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'gitflare-migration' };
  if (api.authorization) headers.Authorization = api.authorization;
  let res: Response;
  api.sent.count++;
  try {
    res = await outboundFetch(api.env, url, { headers });
  } catch (e) {
    if (e instanceof TypeError) throw new ImportError('could not reach the source');
    throw e;
  }
  const wait = rateLimitWait(res);
  if (wait === null) return res;
  await res.body?.cancel();
  if (wait > MAX_WAIT_SECONDS) {
    throw new ImportError(
      `the source's rate limit asks to wait ${wait} s more; try again later (mirror-sync)`,
    );
  }
  throw new RateLimited(wait);
}

/** Seconds to wait when the answer is a rate limit, else null. */
function rateLimitWait(res: Response): number | null {
  const spent = res.status === 403 && res.headers.get('x-ratelimit-remaining') === '0';
  if (res.status !== 429 && !spent) return null;
  const after = res.headers.get('retry-after');
  if (after !== null) {
    const seconds = /^\d+$/.test(after.trim()) ? Number(after) : (Date.parse(after) - Date.now()) / 1000;
    if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  }
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  if (reset > 0) return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  return 1;
}

/** A JSON answer of the source, refused with a clear message when it is not one. */
export async function sourceJson(api: SourceApi, path: string): Promise<{ body: unknown; next: boolean }> {
  const res = await sourceGet(api, `${api.base}${path}`);
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new ImportError(`the source refused ${path} (${res.status}): check auth_token`);
  }
  if (res.status === 404) {
    await res.body?.cancel();
    throw new ImportError(`the source has no ${path.split('?')[0]} (is it a Gitea-compatible server?)`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new ImportError(`the source answered ${res.status} to ${path}`);
  }
  if (Number(res.headers.get('content-length') ?? 0) > MAX_JSON_BYTES) {
    await res.body?.cancel();
    throw new ImportError(`the source's answer to ${path} is too large`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ImportError(`the source's answer to ${path} is not JSON`);
  }
  const link = res.headers.get('link') ?? '';
  return { body, next: /rel="?next"?/.test(link) };
}

/** One page (from 1) of a list; `next` tells whether another follows. */
export async function sourcePage(
  api: SourceApi,
  path: string,
  page: number,
): Promise<{ items: Record<string, unknown>[]; next: boolean }> {
  const sep = path.includes('?') ? '&' : '?';
  const { body, next } = await sourceJson(api, `${path}${sep}page=${page}&limit=${PAGE_LIMIT}`);
  if (!Array.isArray(body)) throw new ImportError(`the source's answer to ${path} is not a list`);
  const items = body.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
  // Servers that send no Link: a full page may be followed by another.
  return { items, next: next || items.length >= PAGE_LIMIT };
}
