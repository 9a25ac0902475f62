// Git LFS objects in R2: streamed in and out in bounded memory, checked against their SHA-256
// and size before they become visible.
import { createHash } from 'node:crypto';

/** R2's smallest multipart part; every part but the last must have one size. */
export const PART_BYTES = 5 * 1024 * 1024;
/** R2 allows 10,000 parts per upload. */
export const MAX_LFS_OBJECT_BYTES = PART_BYTES * 10_000;

export const OID_RE = /^[0-9a-f]{64}$/;

export function lfsKey(repoId: number, oid: string): string {
  return `lfs/${repoId}/${oid}`;
}

export type StoreOutcome = { ok: true } | { ok: false; status: 400 | 422; message: string };

/**
 * Reads `body` into R2 under the object's key, one part at a time (PART_BYTES held at most),
 * hashing as it goes. Up to one part it is a single put once checked; beyond, a multipart
 * upload that is completed only when the hash and size match and aborted otherwise, so a wrong
 * upload leaves nothing behind.
 */
export async function storeLfsObject(
  bucket: R2Bucket,
  key: string,
  oid: string,
  size: number,
  body: ReadableStream<Uint8Array>,
): Promise<StoreOutcome> {
  const hash = createHash('sha256');
  const reader = body.getReader();
  let part = new Uint8Array(Math.min(PART_BYTES, size));
  let filled = 0;
  let total = 0;
  /** Bytes copied into parts so far (`total` counts whole chunks read). */
  let placed = 0;
  let upload: R2MultipartUpload | null = null;
  const parts: R2UploadedPart[] = [];
  const refuse = async (message: string, status: 400 | 422 = 422): Promise<StoreOutcome> => {
    await reader.cancel().catch(() => undefined);
    await upload?.abort().catch(() => undefined);
    return { ok: false, status, message };
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > size)
        return await refuse(`the upload is longer than the object's size (${size} bytes)`, 400);
      hash.update(value);
      let at = 0;
      while (at < value.byteLength) {
        const n = Math.min(part.byteLength - filled, value.byteLength - at);
        part.set(value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        placed += n;
        // A full part with more to come goes out now; the last one waits for the hash check.
        if (filled === part.byteLength && placed < size) {
          upload ??= await bucket.createMultipartUpload(key);
          parts.push(await upload.uploadPart(parts.length + 1, part));
          part = new Uint8Array(Math.min(PART_BYTES, size - placed));
          filled = 0;
        }
      }
    }
    if (total !== size) return await refuse(`the upload has ${total} bytes, the object ${size}`, 400);
    const digest = hash.digest('hex');
    if (digest !== oid) return await refuse(`the upload's SHA-256 is ${digest}, not ${oid}`);
    const last = part.subarray(0, filled);
    if (!upload) {
      await bucket.put(key, last, { sha256: oid });
    } else {
      if (filled > 0) parts.push(await upload.uploadPart(parts.length + 1, last));
      await upload.complete(parts);
    }
    return { ok: true };
  } catch (err) {
    await upload?.abort().catch(() => undefined);
    throw err;
  }
}

/** Deletes every LFS object of a deleted repository, a listing page (up to 1,000) at a time. */
export async function deleteRepoLfsObjects(bucket: R2Bucket, repoId: number): Promise<void> {
  const prefix = `lfs/${repoId}/`;
  for (;;) {
    const page = await bucket.list({ prefix, limit: 1000 });
    if (page.objects.length === 0) return;
    await bucket.delete(page.objects.map((o) => o.key));
    if (!page.truncated) return;
  }
}
