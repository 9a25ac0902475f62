/**
 * Reading the contents write API's bodies (Gitea's CreateFileOptions, UpdateFileOptions,
 * DeleteFileOptions, ChangeFilesOptions): operations with base64 content decoded under one cap for
 * the whole request, identities and dates, the default message Gitea writes.
 */

import type { CommitPerson, FileOperation } from '../git/edit/commit-files';
import { type JsonObject, optionalBoolean, optionalString } from './body';
import { ApiError, invalid } from './errors';

/** Decoded file bytes one request may carry when MAX_CONTENTS_BYTES is not set. */
const DEFAULT_MAX_CONTENTS_BYTES = 10 * 1024 * 1024;
/** Operations one `POST .../contents` may hold. */
export const MAX_OPERATIONS = 1000;
const PATH_MAX = 4096;
const MESSAGE_MAX = 64 * 1024;

export function maxContentsBytes(env: Env): number {
  const n = Number((env as { MAX_CONTENTS_BYTES?: string }).MAX_CONTENTS_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_CONTENTS_BYTES;
}

/** The JSON body's own cap: the content's base64 (4 bytes per 3) plus room for the rest. */
export function maxBodyBytes(env: Env): number {
  return Math.ceil(maxContentsBytes(env) / 3) * 4 + 256 * 1024;
}

/** Decodes content under a running total; 422 for bad base64, 413 past the cap. */
export class ContentBudget {
  private used = 0;

  constructor(private readonly max: number) {}

  decode(text: string, path: string): Uint8Array {
    // Each 4 characters give at most 3 bytes: refuse before decoding anything too big.
    if (Math.floor((text.length * 3) / 4) - 2 > this.max - this.used) throw this.tooLarge();
    let binary: string;
    try {
      binary = atob(text);
    } catch {
      throw invalid(`content of '${path}' is not valid base64`);
    }
    this.used += binary.length;
    if (this.used > this.max) throw this.tooLarge();
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  private tooLarge(): ApiError {
    return new ApiError(413, `file contents are larger than ${this.max} bytes in all`);
  }
}

/** The repository path of one operation: no leading or trailing slash. */
export function filePath(raw: string): string {
  const path = raw.replace(/^\/+|\/+$/g, '');
  if (path === '') throw invalid('a file path is required');
  if (path.length > PATH_MAX) throw invalid(`path must be at most ${PATH_MAX} characters`);
  return path;
}

const OPERATIONS = ['create', 'update', 'delete', 'rename', 'upload'] as const;

/** One entry of ChangeFilesOptions' `files`. */
export function fileOperation(v: unknown, budget: ContentBudget): FileOperation {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalid('each of files must be an object');
  const o = v as JsonObject;
  const op = optionalString(o, 'operation', 16);
  if (!op || !(OPERATIONS as readonly string[]).includes(op))
    throw invalid(`operation must be one of ${OPERATIONS.join(', ')}`);
  const path = filePath(optionalString(o, 'path', PATH_MAX) ?? '');
  const content = optionalString(o, 'content', Number.MAX_SAFE_INTEGER);
  const sha = optionalString(o, 'sha', 64);
  const fromPath = optionalString(o, 'from_path', PATH_MAX);
  // Gitea's `upload` writes a file whether or not it exists (as its web upload does).
  const operation = op === 'upload' ? (sha ? 'update' : 'create') : (op as FileOperation['operation']);
  if ((operation === 'create' || operation === 'update') && content === undefined)
    throw invalid(`content is required to ${op} '${path}'`);
  return {
    operation,
    path,
    content: content === undefined ? undefined : budget.decode(content, path),
    sha,
    fromPath: fromPath ? filePath(fromPath) : undefined,
  };
}

export interface Identity {
  readonly name: string;
  readonly email: string;
}

function identity(o: JsonObject, key: string): Identity | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalid(`${key} must be an object with name and email`);
  const id = v as JsonObject;
  const email = optionalString(id, 'email', 255) ?? '';
  if (email === '') return null;
  return { name: optionalString(id, 'name', 255) ?? '', email };
}

/** A date as Gitea takes it (RFC 3339), with its offset kept for the commit. */
function dateOf(v: unknown, key: string): { time: number; timezone: string } | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw invalid(`dates.${key} must be a date string`);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw invalid(`dates.${key} is not a valid date`);
  const m = /([+-])(\d\d):?(\d\d)$/.exec(v);
  return { time: Math.floor(ms / 1000), timezone: m ? `${m[1]}${m[2]}${m[3]}` : '+0000' };
}

/**
 * Author and committer as Gitea chooses them: either one given stands for both; neither given,
 * the writer (`doer`) is both. Dates default to now.
 */
export function commitPeople(
  o: JsonObject,
  doer: Identity,
  now: number,
): { author: CommitPerson; committer: CommitPerson } {
  const authorId = identity(o, 'author');
  const committerId = identity(o, 'committer');
  const author = authorId ?? committerId ?? doer;
  const committer = committerId ?? author;
  const dates = o.dates;
  if (dates !== undefined && dates !== null && (typeof dates !== 'object' || Array.isArray(dates)))
    throw invalid('dates must be an object with author and committer');
  const d = (dates ?? {}) as JsonObject;
  const at = { time: now, timezone: '+0000' };
  return {
    author: { ...author, ...(dateOf(d.author, 'author') ?? at) },
    committer: { ...committer, ...(dateOf(d.committer, 'committer') ?? at) },
  };
}

/** The message given, else Gitea's ("Add a, b", "Update c", "Delete d", one line each); `signoff` appends the trailer. */
export function commitMessage(o: JsonObject, ops: readonly FileOperation[], committer: Identity): string {
  let message = optionalString(o, 'message', MESSAGE_MAX)?.trim() ?? '';
  if (message === '') {
    const of = (kinds: string[]) => ops.filter((x) => kinds.includes(x.operation)).map((x) => x.path);
    const lines = [
      ['Add', of(['create'])],
      ['Update', of(['update', 'rename'])],
      ['Delete', of(['delete'])],
    ] as const;
    message = lines
      .filter(([, paths]) => paths.length > 0)
      .map(([verb, paths]) => `${verb} ${paths.join(', ')}`)
      .join('\n');
  }
  if (optionalBoolean(o, 'signoff')) message += `\n\nSigned-off-by: ${committer.name} <${committer.email}>`;
  return message;
}
