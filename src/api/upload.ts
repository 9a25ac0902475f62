// Receiving one uploaded file for the API (release assets, comment attachments): a multipart form's
// `attachment` field read as a stream (src/http/multipart-file.ts) or a raw body with `?name=`, as
// Gitea accepts both, written to R2 as it arrives (src/storage/blob-put.ts) under MAX_ASSET_BYTES;
// past the cap the answer is 413 and nothing is kept.
import { findFilePart, MultipartError, multipartBoundary } from '../http/multipart-file';
import { assetNameProblem, maxAssetBytes } from '../services/releases';
import { putStream } from '../storage/blob-put';
import type { ApiContext } from './context';
import { ApiError, badRequest, invalid } from './errors';

export function checkedFileName(name: string): string {
  const problem = assetNameProblem(name);
  if (problem) throw invalid(problem);
  return name;
}

/** The upload's bytes and name: the multipart field `attachment`, or the raw body. */
async function uploadSource(c: ApiContext): Promise<{ name: string; body: ReadableStream<Uint8Array> }> {
  const body = c.req.raw.body;
  if (!body) throw invalid('the file\'s bytes are required (multipart field "attachment" or a raw body)');
  const query = c.req.query('name');
  const boundary = multipartBoundary(c.req.header('content-type'));
  if (!boundary) {
    if (query === undefined) throw invalid('name is required for a raw upload (?name=)');
    return { name: checkedFileName(query), body };
  }
  const part = await findFilePart(body, boundary, 'attachment');
  if (!part) throw invalid('the multipart field "attachment" is required');
  return { name: checkedFileName(query ?? part.filename ?? ''), body: part.body };
}

/**
 * Stores the request's file at `key` in R2 and answers its name and size. `check` runs once the
 * name is known, before any byte is stored (e.g. to refuse a name already taken).
 */
export async function receiveUpload(
  c: ApiContext,
  key: string,
  check: (name: string) => Promise<void> = async () => undefined,
): Promise<{ name: string; size: number }> {
  const cap = maxAssetBytes(c.env);
  const tooLarge = () => new ApiError(413, `a file may be at most ${cap} bytes`);
  // A raw body's length is the file's: refuse it before reading a byte.
  const raw = multipartBoundary(c.req.header('content-type')) === null;
  if (raw && Number(c.req.header('content-length') ?? 0) > cap) throw tooLarge();
  try {
    const source = await uploadSource(c);
    await check(source.name);
    const stored = await putStream(c.env.BLOBS, key, source.body, { maxBytes: cap });
    if (stored.kind === 'too_large') throw tooLarge();
    return { name: source.name, size: stored.size };
  } catch (e) {
    if (e instanceof MultipartError) throw badRequest(e.message);
    throw e;
  }
}
