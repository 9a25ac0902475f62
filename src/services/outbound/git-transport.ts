/**
 * The engine's fetch client over the server's checked outgoing requests: every request of the
 * fetch goes through outboundFetch (ALLOWED_HOST_LIST, redirects checked), with the credentials
 * as an Authorization header that is never logged nor part of an error.
 */
import type { GitTransport } from '../../git/fetch/transport';
import { throughNative } from '../../storage/native-stream';
import { type OutboundEnv, outboundFetch } from './fetch';

export function gitTransport(env: OutboundEnv, repoUrl: string, authorization: string | null): GitTransport {
  const base = repoUrl.endsWith('/') ? repoUrl : `${repoUrl}/`;
  return async (path, request) => {
    const headers: Record<string, string> = { 'User-Agent': 'git/2.0 (gitflare)', ...request.headers };
    if (authorization) headers.Authorization = authorization;
    return outboundFetch(env, new URL(path, base), {
      method: request.body ? 'POST' : 'GET',
      headers,
      // A streamed body (a pack pushed out) goes as it is produced
      // (through a native stream: see native-stream.ts).
      body: request.body instanceof ReadableStream ? throughNative(request.body) : request.body?.slice(),
    });
  };
}

/** The Authorization header for a source: a token (as git's password) or a user name and password. */
export function sourceAuthorization(creds: {
  username?: string;
  password?: string;
  token?: string;
}): string | null {
  const { username, password, token } = creds;
  if (token) return `Basic ${base64Utf8(`${username || 'oauth2'}:${token}`)}`;
  if (username || password) return `Basic ${base64Utf8(`${username ?? ''}:${password ?? ''}`)}`;
  return null;
}

/** HTTP Basic's base64 of UTF-8 (btoa alone refuses characters past Latin-1). */
export function base64Utf8(text: string): string {
  let s = '';
  for (const b of new TextEncoder().encode(text)) s += String.fromCharCode(b);
  return btoa(s);
}
