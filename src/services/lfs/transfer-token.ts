// Short-lived signed tokens for the LFS transfer hrefs the batch API hands out. The batch request
// is authorised like git; the upload, download and verify requests that follow carry this token
// (in the action's Authorization header), so each transfer needs no password check or lookup.
import { readAuthConfig } from '../../auth/config';

export type TransferOp = 'upload' | 'download';

export interface TransferGrant {
  repoId: number;
  oid: string;
  size: number;
  op: TransferOp;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/** The Authorization scheme of transfer tokens. */
export const TRANSFER_SCHEME = 'Gitflare-LFS';

/** How long a transfer token is good for: long enough for a large upload on a slow link. */
export const TRANSFER_TTL_SECONDS = 3600;

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

async function hmacKey(env: object): Promise<CryptoKey> {
  // A key of its own, derived from the server's secret, so these signatures mean nothing elsewhere.
  const material = encoder.encode(`gitflare-lfs-transfer:${readAuthConfig(env).secret}`);
  return crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

export async function signTransfer(env: object, grant: TransferGrant): Promise<string> {
  const payload = base64url(
    encoder.encode(JSON.stringify([grant.repoId, grant.oid, grant.size, grant.op, grant.exp])),
  );
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(env), encoder.encode(payload));
  return `${payload}.${base64url(new Uint8Array(sig))}`;
}

/** The grant a token carries when its signature holds and it has not expired, else null. */
export async function verifyTransfer(
  env: object,
  token: string,
  nowSeconds: number,
): Promise<TransferGrant | null> {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const payload = token.slice(0, dot);
  const sig = fromBase64url(token.slice(dot + 1));
  if (!sig) return null;
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(env), sig, encoder.encode(payload));
  if (!ok) return null;
  const raw = fromBase64url(payload);
  if (!raw) return null;
  const v: unknown = JSON.parse(new TextDecoder().decode(raw));
  if (!Array.isArray(v) || v.length !== 5) return null;
  const [repoId, oid, size, op, exp] = v;
  if (typeof repoId !== 'number' || typeof oid !== 'string') return null;
  if (typeof size !== 'number' || typeof exp !== 'number') return null;
  if (op !== 'upload' && op !== 'download') return null;
  if (exp <= nowSeconds) return null;
  return { repoId, oid, size, op, exp };
}
