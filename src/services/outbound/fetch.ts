/**
 * The one way the server sends a request out (webhook deliveries, migrations, mirrors): the
 * target and every redirect it answers with must be an http(s) URL whose host `ALLOWED_HOST_LIST`
 * allows, so a user who names a URL cannot make the server reach what the operator ruled out.
 */
import { type AllowedHosts, hostAllowed, parseAllowedHosts } from './allowed-hosts';

export interface OutboundEnv {
  readonly ALLOWED_HOST_LIST?: string;
}

/** The URL is not one the server may request; `message` is fit to show the user. */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

const MAX_REDIRECTS = 10;

let cached: { spec: string | undefined; allowed: AllowedHosts } | null = null;

function allowedHosts(env: OutboundEnv): AllowedHosts {
  if (cached && cached.spec === env.ALLOWED_HOST_LIST) return cached.allowed;
  cached = { spec: env.ALLOWED_HOST_LIST, allowed: parseAllowedHosts(env.ALLOWED_HOST_LIST) };
  return cached.allowed;
}

/** Throws OutboundRefusedError unless the server may send a request to `url`. */
export function checkOutboundUrl(env: OutboundEnv, url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundRefusedError('The URL is not valid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new OutboundRefusedError('Only http and https URLs are allowed');
  }
  if (!hostAllowed(allowedHosts(env), parsed.hostname)) {
    throw new OutboundRefusedError(`The host ${parsed.hostname} is not in the server's allowed host list`);
  }
  return parsed;
}

/** fetch() to an allowed URL, following at most ten redirects, each checked as the first. */
export async function outboundFetch(
  env: OutboundEnv,
  url: string | URL,
  init: RequestInit = {},
): Promise<Response> {
  let target = checkOutboundUrl(env, url);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  for (let hop = 0; ; hop++) {
    const res = await fetch(target, { ...init, method, body, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || res.status === 304 || !location) return res;
    await res.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new OutboundRefusedError('Too many redirects');
    const next = checkOutboundUrl(env, new URL(location, target));
    // As fetch() does: credentials are not carried to another origin.
    if (next.origin !== target.origin) init = { ...init, headers: withoutAuthorization(init.headers) };
    target = next;
    // As browsers and fetch() do: 303 (and 301/302 after a POST) continue as a GET without body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    } else if (body instanceof ReadableStream) {
      throw new OutboundRefusedError('A redirect asked to send a streamed body again');
    }
  }
}

function withoutAuthorization(headers: HeadersInit | undefined): Headers {
  const out = new Headers(headers);
  out.delete('authorization');
  return out;
}
