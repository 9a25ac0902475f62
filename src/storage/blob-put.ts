/**
 * Writing a stream of unknown length to R2 in bounded memory, with a size cap. R2's `put` wants a
 * stream of known length, so the bytes are gathered into parts of PART_BYTES: a stream that ends
 * within the first part is one `put`; a longer one becomes a multipart upload, one part at a time.
 * Past the cap (or when the stream fails, or `verify` refuses what was read) nothing is kept: the
 * multipart upload is aborted, and a single put happens only once the stream ended and passed.
 * Release assets and attachments use it as is; Git LFS hashes each chunk and verifies the hash.
 *
 * Two part buffers at most, whatever the length: one filling while the other is being sent. A
 * buffer is written again only once its `uploadPart` resolved: the binding sends the bytes as the
 * request body of that call and resolves with R2's answer, after the whole body went out.
 */

/** R2's smallest part (every part but the last must be at least this, and all the same size). */
export const PART_BYTES = 5 * 1024 * 1024;

export type BlobBucket = Pick<R2Bucket, 'put' | 'createMultipartUpload'>;

export type PutResult<R = never> =
  | { readonly kind: 'stored'; readonly size: number }
  | { readonly kind: 'too_large' }
  // Only a put with `verify` can be refused.
  | ([R] extends [never] ? never : { readonly kind: 'refused'; readonly reason: R });

export interface PutOptions<R = never> {
  readonly maxBytes: number;
  readonly httpMetadata?: R2HTTPMetadata;
  /** Tests use small parts; R2 refuses parts under 5 MiB but the last. */
  readonly partBytes?: number;
  /** Sees each chunk as it is read (to hash it). */
  readonly onChunk?: (chunk: Uint8Array) => void;
  /** Once the stream ended, before the bytes become visible: a reason refuses them. */
  readonly verify?: (size: number) => R | null;
  /** The expected SHA-256 (hex) for R2's own check of a single put. */
  readonly sha256?: string;
}

interface Sending {
  readonly part: Promise<R2UploadedPart>;
  readonly buffer: Uint8Array<ArrayBuffer>;
}

export async function putStream<R = never>(
  bucket: BlobBucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  opts: PutOptions<R>,
): Promise<PutResult<R>> {
  const partBytes = opts.partBytes ?? PART_BYTES;
  const reader = body.getReader();
  // Under a cap below one part (LFS knows the size) the buffer holds no more than the cap.
  let part = new Uint8Array(Math.max(1, Math.min(partBytes, opts.maxBytes)));
  let fill = 0;
  let size = 0;
  let upload: R2MultipartUpload | null = null;
  const parts: R2UploadedPart[] = [];
  // The part on its way and the buffer it reads (never more than one: parts are sent in order).
  let sending: Sending | null = null;
  /** Waits for the part on its way; its buffer, free to fill again. */
  const sent = async (): Promise<Uint8Array<ArrayBuffer> | null> => {
    if (!sending) return null;
    const { part, buffer } = sending;
    sending = null;
    parts.push(await part);
    return buffer;
  };
  /** Stops: the part on its way settles first (its failure is not ours to report), then the upload goes. */
  const abandon = async (): Promise<void> => {
    await sending?.part.catch(() => undefined);
    sending = null;
    await upload?.abort();
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > opts.maxBytes) {
        await reader.cancel();
        await abandon();
        return { kind: 'too_large' };
      }
      opts.onChunk?.(value);
      let at = 0;
      while (at < value.byteLength) {
        const n = Math.min(part.byteLength - fill, value.byteLength - at);
        part.set(value.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === partBytes) {
          upload ??= await bucket.createMultipartUpload(key, { httpMetadata: opts.httpMetadata });
          const free = await sent();
          const next = upload.uploadPart(parts.length + 1, part);
          // Awaited by `sent` or `abandon`; meanwhile a failure must not count as unhandled.
          next.catch(() => undefined);
          sending = { part: next, buffer: part };
          part = free ?? new Uint8Array(partBytes);
          fill = 0;
        }
      }
    }
    const reason = opts.verify?.(size) ?? null;
    if (reason !== null) {
      await abandon();
      // Only reachable with `verify`, so R is a real type here.
      return { kind: 'refused', reason } as PutResult<R>;
    }
    if (!upload) {
      await bucket.put(key, part.subarray(0, fill), { httpMetadata: opts.httpMetadata, sha256: opts.sha256 });
      return { kind: 'stored', size };
    }
    await sent();
    if (fill > 0) parts.push(await upload.uploadPart(parts.length + 1, part.subarray(0, fill)));
    await upload.complete(parts);
    return { kind: 'stored', size };
  } catch (e) {
    await abandon().catch(() => undefined);
    throw e;
  }
}
