// Token scopes, named as Gitea names them. `all` grants everything; write:X implies read:X.

export const SCOPES = [
  'all',
  'read:repository',
  'write:repository',
  'read:issue',
  'write:issue',
  'read:user',
  'write:user',
  'read:organization',
  'write:organization',
] as const;

export type Scope = (typeof SCOPES)[number];
export type ScopeArea = 'repository' | 'issue' | 'user' | 'organization';

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** Normalizes a requested scope list: deduplicated, sorted; `all` alone when present. */
export function normalizeScopes(scopes: readonly Scope[]): Scope[] {
  if (scopes.length === 0 || scopes.includes('all')) return ['all'];
  return [...new Set(scopes)].sort();
}

export function hasScope(scopes: readonly string[], level: 'read' | 'write', area: ScopeArea): boolean {
  if (scopes.includes('all')) return true;
  if (scopes.includes(`write:${area}`)) return true;
  return level === 'read' && scopes.includes(`read:${area}`);
}

/** Tokens are managed with the account's password or a session, never with a token. */
export function mayManageTokens(via: 'session' | 'token' | 'password'): boolean {
  return via !== 'token';
}
