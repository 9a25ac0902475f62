// Input shared by migrations, pull mirrors and push mirrors: a remote URL, its credentials, an interval.
import { checkOutboundUrl, OutboundRefusedError } from '../services/outbound/fetch';
import { seal, sealingSecret } from '../services/outbound/sealed';
import { type JsonObject, optionalString } from './body';
import { invalid } from './errors';
import {
  DEFAULT_MIRROR_INTERVAL_SECONDS,
  MIN_MIRROR_INTERVAL_SECONDS,
  parseMirrorInterval,
} from './mirror-interval';

export const URL_MAX = 2048;
export const SECRET_MAX = 1024;

/**
 * The URL without credentials (those given in it are returned to be used as the credentials),
 * refused with 422 when it is not one the server may request (ALLOWED_HOST_LIST).
 */
export function remoteUrl(
  env: Env,
  text: string,
  field: string,
): { url: string; username?: string; password?: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid(`${field} is not a valid URL`);
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  if (!url.pathname || url.pathname === '/') throw invalid(`${field} names no repository`);
  try {
    checkOutboundUrl(env, url);
  } catch (e) {
    if (e instanceof OutboundRefusedError) throw invalid(`${field} refused: ${e.message}`);
    throw e;
  }
  return { url: url.toString(), username, password };
}

/** A mirror interval field (Gitea's Go duration): the default when absent, 422 when invalid. */
export function intervalField(body: JsonObject, key: string): number {
  const text = optionalString(body, key, 40);
  const interval = text === undefined ? DEFAULT_MIRROR_INTERVAL_SECONDS : parseMirrorInterval(text);
  if (interval === null || (interval > 0 && interval < MIN_MIRROR_INTERVAL_SECONDS)) {
    throw invalid(`${key} must be a duration such as "8h0m0s", at least 10m, or 0 to sync only on demand`);
  }
  return interval;
}

/** The Authorization header sealed for storage (null without credentials). */
export async function sealedCredentials(env: Env, authorization: string | null): Promise<string | null> {
  if (!authorization) return null;
  const secret = sealingSecret(env);
  if (!secret) throw invalid('the server has no secret to keep credentials with');
  return seal(secret, authorization);
}
