// The API's single error translation: every failure becomes JSON {message} with a fitting status.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MissingSecretError } from '../auth/config';
import { InvalidCredentialsError, TooManyAttemptsError } from '../auth/errors';
import { BrowseError } from '../git/browse/errors';
import { browseErrorStatus, busyHeaders } from '../services/browse';

export type ApiStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 423 | 500 | 503;

export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (m: string) => new ApiError(400, m);
export const unauthorized = (m = 'authentication required') => new ApiError(401, m);
export const forbidden = (m = 'permission denied') => new ApiError(403, m);
export const notFound = (m = 'not found') => new ApiError(404, m);
export const conflict = (m: string) => new ApiError(409, m);
export const invalid = (m: string) => new ApiError(422, m);
/** The repository had no room for the work in time (admission): 503, asked to come back later. */
export const busyError = (m: string) => new ApiError(503, m);
/** Gitea answers 423 Locked to changes of an archived repository. */
export const archivedError = () => new ApiError(423, 'the repository is archived: it is read-only');

export function errorResponse(c: Context, status: ContentfulStatusCode, message: string): Response {
  return c.json({ message }, status);
}

/** A refusal of ours: a 503 says when to come back (Retry-After), as a busy repository does. */
function refusal(c: Context, status: ContentfulStatusCode, message: string): Response {
  for (const [k, v] of Object.entries(busyHeaders(status))) c.header(k, v);
  return errorResponse(c, status, message);
}

export function onApiError(err: unknown, c: Context): Response {
  if (err instanceof ApiError) return refusal(c, err.status, err.message);
  if (err instanceof InvalidCredentialsError) return errorResponse(c, 401, err.message);
  if (err instanceof BrowseError) return refusal(c, browseErrorStatus(err.code), err.message);
  if (err instanceof TooManyAttemptsError) {
    c.header('Retry-After', String(err.retryAfterSeconds));
    return errorResponse(c, 429, err.message);
  }
  if (err instanceof HTTPException)
    return errorResponse(c, err.status as ContentfulStatusCode, err.message || 'request refused');
  if (err instanceof MissingSecretError) {
    console.error(err.message);
    return errorResponse(c, 503, 'the server is not configured for authentication');
  }
  console.error('unexpected API error', err);
  return errorResponse(c, 500, 'internal error');
}
