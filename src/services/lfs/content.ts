// Files stored with Git LFS as the pages and raw downloads show them: the object the pointer
// names, from R2, in place of the pointer git holds.
import { findLfsObjects } from '../../db/lfs';
import type { RepoRecord } from '../../db/repos';
import { decodeText, isBinary } from '../../git/browse/binary';
import type { BrowseOk } from '../browse';
import { lfsKey } from './object-store';
import { type LfsPointer, MAX_POINTER_BYTES, parseLfsPointer } from './pointer';

/** Where a pointer's object is: `stored` when this repository holds it. */
export interface LfsFile extends LfsPointer {
  stored: boolean;
}

/** The first bytes of the object, enough to tell binary from text as git does. */
async function sniffBinary(bucket: R2Bucket, key: string): Promise<boolean | null> {
  const head = await bucket.get(key, { range: { offset: 0, length: 8000 } });
  return head ? isBinary(new Uint8Array(await head.arrayBuffer())) : null;
}

async function isStored(db: D1Database, repo: RepoRecord, oid: string): Promise<boolean> {
  return (await findLfsObjects(db, repo.id, [oid])).has(oid);
}

/** A raw file answer: a pointer to an object the repository holds answers the object's bytes
 * (streamed from R2), anything else itself. */
export async function lfsRaw(env: Env, repo: RepoRecord, r: BrowseOk<'raw'>): Promise<BrowseOk<'raw'>> {
  if (r.binary || r.size > MAX_POINTER_BYTES) return r;
  const bytes = new Uint8Array(await new Response(r.body).arrayBuffer());
  const original = { ...r, body: new Blob([bytes]).stream() };
  const pointer = parseLfsPointer(decodeText(bytes));
  if (!pointer || !(await isStored(env.DB, repo, pointer.oid))) return original;
  const key = lfsKey(repo.id, pointer.oid);
  const binary = await sniffBinary(env.BLOBS, key);
  const object = binary === null ? null : await env.BLOBS.get(key);
  if (!object) return original;
  return { ...r, oid: pointer.oid, size: object.size, binary: binary ?? true, body: object.body };
}

/** A blob for the file page: a pointer becomes the object it names (its size, and its text when
 * it is text within `maxBytes`), with where it is stored; other blobs are unchanged. */
export async function lfsBlob(
  env: Env,
  repo: RepoRecord,
  blob: BrowseOk<'blob'>,
  maxBytes: number,
): Promise<{ blob: BrowseOk<'blob'>; lfs: LfsFile | null }> {
  const pointer = blob.text === null ? null : parseLfsPointer(blob.text);
  if (!pointer) return { blob, lfs: null };
  const stored = await isStored(env.DB, repo, pointer.oid);
  if (!stored) return { blob, lfs: { ...pointer, stored } };
  const key = lfsKey(repo.id, pointer.oid);
  const tooLarge = pointer.size > maxBytes;
  const binary = (await sniffBinary(env.BLOBS, key)) ?? true;
  const object = tooLarge || binary ? null : await env.BLOBS.get(key);
  const text = object ? decodeText(new Uint8Array(await object.arrayBuffer())) : null;
  return {
    blob: { ...blob, size: pointer.size, binary, tooLarge, text, bytes: null },
    lfs: { ...pointer, stored },
  };
}
