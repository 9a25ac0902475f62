// OAuth sign-in with a generic OpenID Connect provider: a fake provider in this process, the app
// started with OIDC_* vars, the flow followed by hand (manual redirects and a cookie jar).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, signUp, uniqueName } from '../helpers/accounts';
import { CookieJar } from '../helpers/cookie-jar';
import { type FakeOidc, startFakeOidc } from '../helpers/fake-oidc';
import { serverUrl } from '../helpers/server';
import { type RunningServer, startServer } from './server-process';

let idp: FakeOidc;
let app: RunningServer;

beforeAll(async () => {
  idp = await startFakeOidc();
  app = await startServer({
    env: {
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_DISCOVERY_URL: idp.discoveryUrl,
      OIDC_PROVIDER_ID: 'testidp',
      OIDC_PROVIDER_NAME: 'Test IdP',
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await idp?.close();
});

/** Runs the whole browser flow; returns the jar and the final redirect target. */
async function oidcSignIn(base: string): Promise<{ jar: CookieJar; landed: string }> {
  const jar = new CookieJar();
  const start = await fetch(`${base}/api/auth/sign-in/social`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ provider: 'testidp', callbackURL: '/' }),
  });
  expect(start.status).toBe(200);
  jar.store(start);
  const { url } = (await start.json()) as { url: string };
  expect(url.startsWith(`${idp.issuer}/authorize?`)).toBe(true);
  const authorize = new URL(url);
  expect(authorize.searchParams.get('client_id')).toBe(idp.clientId);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
    expect.arrayContaining(['openid', 'email']),
  );

  const atIdp = await fetch(url, { redirect: 'manual' });
  expect(atIdp.status).toBe(302);
  const callback = atIdp.headers.get('location')!;
  expect(callback.startsWith(`${base}/api/auth/callback/testidp?`)).toBe(true);

  const back = await fetch(callback, { redirect: 'manual', headers: { cookie: jar.header() } });
  expect(back.status, await back.clone().text()).toBe(302);
  jar.store(back);
  return { jar, landed: back.headers.get('location') ?? '' };
}

test('OIDC sign-in creates an account with a username and a working session', async () => {
  const email = `${uniqueName('oidc')}@example.test`;
  idp.setUser({ sub: uniqueName('sub'), email, name: 'Ada Lovelace' });
  const { jar, landed } = await oidcSignIn(app.url);
  expect(landed).toMatch(/^(\/|http:\/\/127\.0\.0\.1:\d+\/)$/);
  expect(jar.has('better-auth.session_token')).toBe(true);

  const me = await call<{ login: string; email: string; full_name: string; id: number }>(
    app.url,
    'GET',
    '/api/v1/user',
    {
      auth: { cookie: jar.header() },
    },
  );
  expect(me.status).toBe(200);
  expect(me.body).toMatchObject({ email, full_name: 'Ada Lovelace' });
  expect(me.body.login).toMatch(/^Ada-Lovelace(-\d+)?$/);
  // The provider saw a code exchange with PKCE and a userinfo call or a verified id_token.
  expect(idp.seen.some((s) => s.path === '/token' && s.params.code_verifier)).toBe(true);
  expect(idp.seen.some((s) => s.path === '/jwks')).toBe(true);

  // A second sign-in of the same person reaches the same account.
  const again = await oidcSignIn(app.url);
  const me2 = await call<{ id: number }>(app.url, 'GET', '/api/v1/user', {
    auth: { cookie: again.jar.header() },
  });
  expect(me2.body.id).toBe(me.body.id);

  // A different person with the same display name gets a different, unique username.
  idp.setUser({ sub: uniqueName('sub'), email: `${uniqueName('oidc')}@example.test`, name: 'Ada Lovelace' });
  const other = await oidcSignIn(app.url);
  const me3 = await call<{ login: string; id: number }>(app.url, 'GET', '/api/v1/user', {
    auth: { cookie: other.jar.header() },
  });
  expect(me3.body.id).not.toBe(me.body.id);
  expect(me3.body.login.toLowerCase()).not.toBe(me.body.login.toLowerCase());

  // The account can create repositories like any other.
  const repo = await call(app.url, 'POST', '/api/v1/user/repos', {
    auth: { cookie: jar.header() },
    json: { name: 'from-oidc' },
  });
  expect(repo.status).toBe(201);
  expect(repo.body).toMatchObject({ full_name: `${me.body.login}/from-oidc` });
});

test('an OIDC identity whose email already has a password account is not silently linked', async () => {
  const existing = await signUp(app.url, 'linked');
  idp.setUser({ sub: uniqueName('sub'), email: existing.email, name: 'Impostor' });
  const jar = new CookieJar();
  const start = await fetch(`${app.url}/api/auth/sign-in/social`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify({ provider: 'testidp', callbackURL: '/' }),
  });
  jar.store(start);
  const { url } = (await start.json()) as { url: string };
  const atIdp = await fetch(url, { redirect: 'manual' });
  const back = await fetch(atIdp.headers.get('location')!, {
    redirect: 'manual',
    headers: { cookie: jar.header() },
  });
  jar.store(back);
  expect(back.status).toBe(302);
  expect(back.headers.get('location')).toContain('error');
  expect(jar.has('better-auth.session_token')).toBe(false);
});

test('without OIDC or GitHub configured, the shared server offers no OAuth sign-in', async () => {
  const base = serverUrl();
  for (const provider of ['testidp', 'oidc', 'github']) {
    const r = await call(base, 'POST', '/api/auth/sign-in/social', { json: { provider, callbackURL: '/' } });
    expect(r.status, provider).toBeGreaterThanOrEqual(400);
    expect(r.status, provider).toBeLessThan(500);
  }
});
