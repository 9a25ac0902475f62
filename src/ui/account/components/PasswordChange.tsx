import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';

/** Changing the password signs the account's other sessions out. */
export function PasswordChange() {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  return (
    <section>
      <h2>Change password</h2>
      <form
        method="post"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          setError(null);
          setDone(false);
          try {
            await postJson('/api/auth/change-password', {
              currentPassword: f.get('current'),
              newPassword: f.get('next'),
              revokeOtherSessions: true,
            });
            form.reset();
            setDone(true);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      >
        <label htmlFor="current">Current password</label>
        <input id="current" name="current" type="password" required autoComplete="current-password" />
        <label htmlFor="next">New password</label>
        <input id="next" name="next" type="password" required minLength={8} autoComplete="new-password" />
        <ErrorLine error={error} />
        {done ? <p className="gf-note">Password changed.</p> : null}
        <div className="gf-actions">
          <button type="submit">Change password</button>
        </div>
      </form>
    </section>
  );
}
