// Authentication settings read from the Worker's environment (vars and secrets). Nothing here has
// a default secret: without BETTER_AUTH_SECRET the server refuses to authenticate anyone.

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OidcClient extends OAuthClient {
  providerId: string;
  name: string;
  discoveryUrl: string;
}

export interface AuthConfig {
  secret: string;
  /** Fixed public origin, when configured; otherwise each request's own origin is used. */
  baseURL: string | null;
  github: OAuthClient | null;
  oidc: OidcClient | null;
}

export class MissingSecretError extends Error {
  constructor() {
    super('BETTER_AUTH_SECRET is not set; refusing to run authentication without a secret');
    this.name = 'MissingSecretError';
  }
}

function str(env: object, name: string): string | null {
  const v = (env as Record<string, unknown>)[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

export function readAuthConfig(env: object): AuthConfig {
  const secret = str(env, 'BETTER_AUTH_SECRET');
  if (!secret) throw new MissingSecretError();
  const ghId = str(env, 'GITHUB_CLIENT_ID');
  const ghSecret = str(env, 'GITHUB_CLIENT_SECRET');
  const oidcId = str(env, 'OIDC_CLIENT_ID');
  const oidcSecret = str(env, 'OIDC_CLIENT_SECRET');
  const discoveryUrl = str(env, 'OIDC_DISCOVERY_URL');
  return {
    secret,
    baseURL: str(env, 'BETTER_AUTH_URL')?.replace(/\/+$/, '') ?? null,
    github: ghId && ghSecret ? { clientId: ghId, clientSecret: ghSecret } : null,
    oidc:
      oidcId && oidcSecret && discoveryUrl
        ? {
            clientId: oidcId,
            clientSecret: oidcSecret,
            discoveryUrl,
            providerId: str(env, 'OIDC_PROVIDER_ID') ?? 'oidc',
            name: str(env, 'OIDC_PROVIDER_NAME') ?? 'OpenID Connect',
          }
        : null,
  };
}

/** Sign-in methods the UI may offer. */
export function oauthProviders(
  config: AuthConfig,
): { id: string; name: string; kind: 'social' | 'generic' }[] {
  const out: { id: string; name: string; kind: 'social' | 'generic' }[] = [];
  if (config.github) out.push({ id: 'github', name: 'GitHub', kind: 'social' });
  if (config.oidc) out.push({ id: config.oidc.providerId, name: config.oidc.name, kind: 'generic' });
  return out;
}
