// Webhook secrets: kept encrypted (AES-GCM, key derived from the server's BETTER_AUTH_SECRET)
// since each delivery must be signed with them; and the signatures themselves (hex HMAC-SHA256).
import { readAuthConfig } from '../auth/config';

const utf8 = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function secretKey(env: object): Promise<CryptoKey> {
  const material = await crypto.subtle.digest(
    'SHA-256',
    utf8.encode(`gitflare webhook secret\0${readAuthConfig(env).secret}`),
  );
  return crypto.subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
}

/** '' stays '' (no secret). */
export async function encryptSecret(env: object, secret: string): Promise<string> {
  if (secret === '') return '';
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await secretKey(env),
    utf8.encode(secret),
  );
  const out = new Uint8Array(12 + data.byteLength);
  out.set(iv);
  out.set(new Uint8Array(data), 12);
  return toBase64(out);
}

export async function decryptSecret(env: object, stored: string): Promise<string> {
  if (stored === '') return '';
  const bytes = fromBase64(stored);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.subarray(0, 12) },
    await secretKey(env),
    bytes.subarray(12),
  );
  return new TextDecoder().decode(plain);
}

/** Hex HMAC-SHA256 of the body: `X-Gitea-Signature`, and `X-Hub-Signature-256` after `sha256=`. */
export async function signBody(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    utf8.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return hex(await crypto.subtle.sign('HMAC', key, utf8.encode(body)));
}
