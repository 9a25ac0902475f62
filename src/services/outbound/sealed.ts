/**
 * Credentials the server keeps to reach another server (mirrors): sealed with AES-GCM under a
 * key derived from the server's secret, so a copy of the database alone does not reveal them.
 */
const encoder = new TextEncoder();

async function key(secret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: encoder.encode('gitflare outbound credentials'),
    },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export async function seal(secret: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await key(secret),
    encoder.encode(plain),
  );
  return `${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** The sealed text; null when it cannot be opened (the secret changed). */
export async function unseal(secret: string, sealed: string): Promise<string | null> {
  const [iv, data] = sealed.split('.');
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv) },
      await key(secret),
      fromBase64(data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

/** The server's secret credentials are sealed under (the one sessions use); null when unset. */
export function sealingSecret(env: object): string | null {
  const v = (env as Record<string, unknown>).BETTER_AUTH_SECRET;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}
