import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';

/** Turning TOTP on (set up, then verify a code) and off (with the password). */
export function TwoFactor({ enabled }: { enabled: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [setup, setSetup] = useState<{ uri: string; secret: string; backupCodes: string[] } | null>(null);
  const [on, setOn] = useState(enabled);
  if (on) {
    return (
      <section>
        <h2>Two-factor authentication</h2>
        <p>Two-factor authentication is on. Git and API clients need an access token.</p>
        <form
          method="post"
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            setError(null);
            try {
              await postJson('/api/auth/two-factor/disable', { password: f.get('password') });
              setOn(false);
            } catch (err) {
              setError((err as Error).message);
            }
          }}
        >
          <label htmlFor="tf-off-password">Password</label>
          <input
            id="tf-off-password"
            name="password"
            type="password"
            required
            autoComplete="current-password"
          />
          <ErrorLine error={error} />
          <div className="gf-actions">
            <button className="danger" type="submit">
              Turn off
            </button>
          </div>
        </form>
      </section>
    );
  }
  return (
    <section>
      <h2>Two-factor authentication</h2>
      {setup ? (
        <form
          method="post"
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            setError(null);
            try {
              await postJson('/api/auth/two-factor/verify-totp', {
                code: String(f.get('code') ?? '').trim(),
              });
              setOn(true);
            } catch (err) {
              setError((err as Error).message);
            }
          }}
        >
          <p>Add this account to your authenticator app, then enter the code it shows.</p>
          <p>Setup URI:</p>
          <p className="gf-secret" data-testid="totp-uri">
            {setup.uri}
          </p>
          <p>Secret:</p>
          <p className="gf-secret" data-testid="totp-secret">
            {setup.secret}
          </p>
          <p>Backup codes (keep them safe; each works once):</p>
          <p className="gf-secret">{setup.backupCodes.join(' ')}</p>
          <label htmlFor="code">Code</label>
          <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required />
          <ErrorLine error={error} />
          <div className="gf-actions">
            <button className="primary" type="submit">
              Verify and turn on
            </button>
          </div>
        </form>
      ) : (
        <form
          method="post"
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            setError(null);
            try {
              const r = await postJson<{ totpURI: string; backupCodes: string[] }>(
                '/api/auth/two-factor/enable',
                {
                  password: f.get('password'),
                },
              );
              setSetup({
                uri: r.totpURI,
                secret: new URL(r.totpURI).searchParams.get('secret') ?? '',
                backupCodes: r.backupCodes,
              });
            } catch (err) {
              setError((err as Error).message);
            }
          }}
        >
          <p className="gf-note">Protect your account with a time-based one-time code (TOTP).</p>
          <label htmlFor="tf-password">Password</label>
          <input id="tf-password" name="password" type="password" required autoComplete="current-password" />
          <ErrorLine error={error} />
          <div className="gf-actions">
            <button type="submit">Set up two-factor authentication</button>
          </div>
        </form>
      )}
    </section>
  );
}
