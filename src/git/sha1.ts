import { sha1 } from '@noble/hashes/legacy.js';
import { objectHeader } from './object-header';
import { bytesToHex } from './oid';
import type { ObjectType, Oid } from './store';

/** Incremental SHA-1, so objects and packs can be hashed as they stream. */
export interface Sha1 {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
  /** The digest as 40 hex digits, where the platform makes that cheaper than bytes. */
  digestHex?(): string;
}

/** The digest as an object id. */
export function digestOid(h: Sha1): Oid {
  return h.digestHex ? h.digestHex() : bytesToHex(h.digest());
}

/** Makes hashers; the platform may supply a native one (see ObjectDatabase options). */
export type Sha1Factory = () => Sha1;

export function createSha1(): Sha1 {
  const h = sha1.create();
  return {
    update(bytes) {
      h.update(bytes);
    },
    digest() {
      return h.digest();
    },
  };
}

/** The id of an object whose header and content lie side by side in `bytes`: one call to hash. */
export function hashWhole(bytes: Uint8Array, sha1Factory: Sha1Factory = createSha1): Oid {
  const h = sha1Factory();
  h.update(bytes);
  return digestOid(h);
}

/** The object id of `data` as an object of `type` (git hashes "<type> <size>\0" + data). */
export function hashObject(type: ObjectType, data: Uint8Array, sha1Factory: Sha1Factory = createSha1): Oid {
  const h = sha1Factory();
  h.update(objectHeader(type, data.length));
  h.update(data);
  return digestOid(h);
}
