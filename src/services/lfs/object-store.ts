// Git LFS objects in R2: streamed in and out in bounded memory, checked against their SHA-256
// and size before they become visible.
import { createHash } from 'node:crypto';
import { PART_BYTES, putStream } from '../../storage/blob-put';

/** R2 allows 10,000 parts per upload. */
export const MAX_LFS_OBJECT_BYTES = PART_BYTES * 10_000;

export const OID_RE = /^[0-9a-f]{64}$/;

export function lfsKey(repoId: number, oid: string): string {
  return `lfs/${repoId}/${oid}`;
}

export type StoreOutcome = { ok: true } | { ok: false; status: 400 | 422; message: string };

/**
 * Reads `body` into R2 under the object's key in bounded memory (one part at a time, through the
 * storage layer's putStream), hashing as it goes. The bytes become visible only when the hash
 * and size match; a wrong upload is aborted and leaves nothing behind.
 */
export async function storeLfsObject(
  bucket: R2Bucket,
  key: string,
  oid: string,
  size: number,
  body: ReadableStream<Uint8Array>,
): Promise<StoreOutcome> {
  const hash = createHash('sha256');
  const refused = (status: 400 | 422, message: string) => ({ ok: false as const, status, message });
  const r = await putStream(bucket, key, body, {
    maxBytes: size,
    onChunk: (chunk) => hash.update(chunk),
    verify: (total) => {
      if (total !== size) return refused(400, `the upload has ${total} bytes, the object ${size}`);
      const digest = hash.digest('hex');
      return digest === oid ? null : refused(422, `the upload's SHA-256 is ${digest}, not ${oid}`);
    },
    sha256: oid,
  });
  switch (r.kind) {
    case 'stored':
      return { ok: true };
    case 'too_large':
      return refused(400, `the upload is longer than the object's size (${size} bytes)`);
    case 'refused':
      return r.reason;
  }
}
