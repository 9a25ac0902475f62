// The secret of a personal access token: 40 hex characters (the `sha1` field of Gitea's API),
// stored as its SHA-256.

const TOKEN_RE = /^[0-9a-f]{40}$/;

export function generateTokenSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function looksLikeToken(s: string): boolean {
  return TOKEN_RE.test(s);
}

export async function hashTokenSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
