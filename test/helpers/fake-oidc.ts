// A tiny OpenID Connect provider for tests: discovery, authorize (redirects straight back with a
// code for the configured user), token (RS256-signed id_token + access token), userinfo, jwks.
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeUser {
  sub: string;
  email: string;
  name: string;
  preferred_username?: string;
}

export interface FakeOidc {
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  /** Requests the provider saw, by path, for assertions. */
  seen: { path: string; params: Record<string, string> }[];
  setUser(user: FakeUser): void;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOidc(): Promise<FakeOidc> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(4).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  const clientId = `client-${randomBytes(3).toString('hex')}`;
  const clientSecret = randomBytes(16).toString('hex');
  const codes = new Map<
    string,
    { nonce?: string; challenge?: string; redirectUri: string; user: FakeUser }
  >();
  const accessTokens = new Map<string, FakeUser>();
  const seen: FakeOidc['seen'] = [];
  let user: FakeUser = { sub: 'sub-1', email: 'someone@example.test', name: 'Some One' };
  let issuer = '';

  function sign(claims: Record<string, unknown>): string {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const payload = b64url(JSON.stringify(claims));
    const sig = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
    return `${header}.${payload}.${b64url(sig)}`;
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST')
      Object.assign(params, Object.fromEntries(new URLSearchParams(await readBody(req))));
    seen.push({ path: url.pathname, params });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      case '/jwks':
        return json(200, { keys: [jwk] });
      case '/authorize': {
        if (params.client_id !== clientId || !params.redirect_uri || params.response_type !== 'code') {
          return json(400, { error: 'invalid_request' });
        }
        const code = randomBytes(12).toString('hex');
        codes.set(code, {
          nonce: params.nonce,
          challenge: params.code_challenge,
          redirectUri: params.redirect_uri,
          user,
        });
        const back = new URL(params.redirect_uri);
        back.searchParams.set('code', code);
        if (params.state) back.searchParams.set('state', params.state);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      case '/token': {
        let id = params.client_id;
        let secret = params.client_secret;
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
        if (basic) {
          const [u, p] = Buffer.from(basic[1], 'base64').toString().split(':');
          id = decodeURIComponent(u);
          secret = decodeURIComponent(p);
        }
        if (id !== clientId || secret !== clientSecret) return json(401, { error: 'invalid_client' });
        const grant = codes.get(params.code ?? '');
        if (!grant || grant.redirectUri !== params.redirect_uri) return json(400, { error: 'invalid_grant' });
        if (grant.challenge) {
          const expected = createHash('sha256')
            .update(params.code_verifier ?? '')
            .digest('base64url');
          if (expected !== grant.challenge)
            return json(400, { error: 'invalid_grant', error_description: 'pkce' });
        }
        codes.delete(params.code);
        const access = randomBytes(16).toString('hex');
        accessTokens.set(access, grant.user);
        const now = Math.floor(Date.now() / 1000);
        const idToken = sign({
          iss: issuer,
          aud: clientId,
          sub: grant.user.sub,
          email: grant.user.email,
          email_verified: true,
          name: grant.user.name,
          iat: now,
          exp: now + 300,
          ...(grant.nonce ? { nonce: grant.nonce } : {}),
        });
        return json(200, {
          access_token: access,
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
          scope: 'openid email profile',
        });
      }
      case '/userinfo': {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const u = accessTokens.get(token);
        if (!u) return json(401, { error: 'invalid_token' });
        return json(200, { ...u, email_verified: true });
      }
      default:
        return json(404, { error: 'not_found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    seen,
    setUser(u) {
      user = u;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
