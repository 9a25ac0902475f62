/**
 * The source server's API, as a Gitea-service migration reads it: JSON pages (`page`/`limit`,
 * `Link: rel="next"`) through the checked outgoing requests, with its rate limits respected. A
 * 429 (or a 403 saying the limit is spent) is waited on for as long as it asks (`Retry-After`,
 * else `X-RateLimit-Reset`), up to a bound; past it the import fails with a message and can be
 * retried later.
 */
import { type OutboundEnv, outboundFetch } from '../outbound/fetch';

/** The longest single wait, and how many waits one request may take. */
const MAX_WAIT_SECONDS = 60;
const MAX_WAITS = 5;
export const PAGE_LIMIT = 50;
/** A bound on one JSON answer (a page of 50 issues with long bodies stays far below). */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

export interface SourceApi {
  readonly env: OutboundEnv;
  /** The repository's API base, without a trailing slash. */
  readonly base: string;
  readonly authorization: string | null;
  /** Waits this many seconds (tests and the runtime use a timer). */
  readonly sleep?: (seconds: number) => Promise<void>;
}

const defaultSleep = (s: number) => new Promise<void>((resolve) => setTimeout(resolve, s * 1000));

/** A GET to the source with waits on its rate limit; the answer when it is not a rate limit. */
export async function sourceGet(api: SourceApi, url: string, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'gitflare-migration' };
  if (api.authorization) headers.Authorization = api.authorization;
  for (let waits = 0; ; waits++) {
    let res: Response;
    try {
      res = await outboundFetch(api.env, url, { headers });
    } catch (e) {
      if (e instanceof TypeError) throw new ImportError('could not reach the source');
      throw e;
    }
    const wait = rateLimitWait(res);
    if (wait === null) return res;
    await res.body?.cancel();
    if (waits >= MAX_WAITS || wait > MAX_WAIT_SECONDS) {
      throw new ImportError(
        `the source's rate limit asks to wait ${wait} s more; try again later (mirror-sync)`,
      );
    }
    await (api.sleep ?? defaultSleep)(wait);
  }
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
