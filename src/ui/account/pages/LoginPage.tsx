/** `/login`: password sign-in (then the second factor when the account has one), or a provider. */
import { useState } from 'react';
import { ErrorLine, Page, postJson } from '../../Layout';
import type { SignInData } from '../server/load';

export function LoginPage({ viewer, providers }: SignInData) {
  const [error, setError] = useState<string | null>(null);
  const [needCode, setNeedCode] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(form: HTMLFormElement) {
    const f = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      if (needCode) {
        await postJson('/api/auth/two-factor/verify-totp', { code: String(f.get('code') ?? '').trim() });
      } else {
        const login = String(f.get('login') ?? '').trim();
        const password = f.get('password');
        const res = login.includes('@')
          ? await postJson<{ twoFactorRedirect?: boolean }>('/api/auth/sign-in/email', {
              email: login,
              password,
            })
          : await postJson<{ twoFactorRedirect?: boolean }>('/api/auth/sign-in/username', {
              username: login,
              password,
            });
        if (res?.twoFactorRedirect) {
          setNeedCode(true);
          setBusy(false);
          return;
        }
      }
      window.location.assign('/');
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <Page viewer={viewer} narrow>
      <h1>Sign in</h1>
      {viewer ? <p className="gf-note">You are signed in as {viewer.username}.</p> : null}
      <form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
      >
        {needCode ? (
          <>
            <label htmlFor="code">Authentication code</label>
            <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required />
          </>
        ) : (
          <>
            <label htmlFor="login">Username or email</label>
            <input id="login" name="login" required autoComplete="username" />
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" required autoComplete="current-password" />
          </>
        )}
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="primary" type="submit" disabled={busy}>
            {needCode ? 'Verify' : 'Sign in'}
          </button>
          <a href="/signup">Create an account</a>
        </div>
      </form>
      {providers.length > 0 ? (
        <div className="gf-actions">
          {providers.map((p) => (
            <button
              key={p.id}
              type="button"
              onClick={async () => {
                try {
                  const r = await postJson<{ url: string }>('/api/auth/sign-in/social', {
                    provider: p.id,
                    callbackURL: '/',
                  });
                  window.location.assign(r.url);
                } catch (err) {
                  setError((err as Error).message);
                }
              }}
            >
              Sign in with {p.name}
            </button>
          ))}
        </div>
      ) : null}
    </Page>
  );
}
