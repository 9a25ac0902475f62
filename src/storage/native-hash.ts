/** The runtime's native SHA-1 and CRC-32, injected into the git engine's object database. */
import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import type { Sha1 } from '../git/sha1';

/**
 * SHA-1 from the runtime (BoringSSL): many times faster than hashing in JavaScript. A class,
 * so that the one made per object is one allocation rather than an object and three closures.
 */
class NativeSha1 implements Sha1 {
  private readonly h = createHash('sha1');

  update(bytes: Uint8Array): void {
    this.h.update(bytes);
  }

  digest(): Uint8Array {
    const d = this.h.digest();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }

  /** Hex straight from the runtime: a Buffer per digest cost more than the hashing of most objects. */
  digestHex(): string {
    return this.h.digest('hex');
  }
}

export const nativeSha1 = (): Sha1 => new NativeSha1();

/** CRC-32 from the runtime's zlib: native, where the JavaScript one was a visible cost of a push. */
export function nativeCrc32(crc: number, bytes: Uint8Array): number {
  return zlibCrc32(bytes, crc);
}
