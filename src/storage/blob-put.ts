/**
 * Writing a stream of unknown length to R2 in bounded memory, with a size cap. R2's `put` wants a
 * stream of known length, so the bytes are gathered into parts of PART_BYTES: a stream that ends
 * within the first part is one `put`; a longer one becomes a multipart upload, one part at a time.
 * Past the cap (or when the stream fails) nothing is kept: the multipart upload is aborted.
 */

/** R2's smallest part (every part but the last must be at least this, and all the same size). */
export const PART_BYTES = 5 * 1024 * 1024;

export type BlobBucket = Pick<R2Bucket, 'put' | 'createMultipartUpload'>;

export type PutResult = { readonly kind: 'stored'; readonly size: number } | { readonly kind: 'too_large' };

export interface PutOptions {
  readonly maxBytes: number;
  readonly httpMetadata?: R2HTTPMetadata;
  /** Tests use small parts; R2 refuses parts under 5 MiB but the last. */
  readonly partBytes?: number;
}

export async function putStream(
  bucket: BlobBucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  opts: PutOptions,
): Promise<PutResult> {
  const partBytes = opts.partBytes ?? PART_BYTES;
  const reader = body.getReader();
  let part = new Uint8Array(partBytes);
  let fill = 0;
  let size = 0;
  let upload: R2MultipartUpload | null = null;
  const parts: R2UploadedPart[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > opts.maxBytes) {
        await reader.cancel();
        await upload?.abort();
        return { kind: 'too_large' };
      }
      let at = 0;
      while (at < value.byteLength) {
        const n = Math.min(partBytes - fill, value.byteLength - at);
        part.set(value.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === partBytes) {
          upload ??= await bucket.createMultipartUpload(key, { httpMetadata: opts.httpMetadata });
          parts.push(await upload.uploadPart(parts.length + 1, part));
          // A fresh buffer: the runtime may still hold the one it was given.
          part = new Uint8Array(partBytes);
          fill = 0;
        }
      }
    }
    if (!upload) {
      await bucket.put(key, part.subarray(0, fill), { httpMetadata: opts.httpMetadata });
      return { kind: 'stored', size };
    }
    if (fill > 0) parts.push(await upload.uploadPart(parts.length + 1, part.subarray(0, fill)));
    await upload.complete(parts);
    return { kind: 'stored', size };
  } catch (e) {
    await upload?.abort().catch(() => undefined);
    throw e;
  }
}
