import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';

export interface ProfileAccount {
  login: string;
  fullName: string;
  keepEmailPrivate: boolean;
}

/** The account's username (a rename keeps the old name and its URLs for this account), its
 * free-text display name, and whether commits the server makes show its email. */
export function ProfileSettings({ account }: { account: ProfileAccount }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  return (
    <section>
      <h2>Profile</h2>
      <form
        method="post"
        data-testid="profile-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const username = String(f.get('username') ?? '').trim();
          setError(null);
          setDone(false);
          try {
            await postJson(
              '/api/v1/user/settings',
              { full_name: String(f.get('full_name') ?? ''), keep_email_private: f.get('private') === 'on' },
              'PATCH',
            );
            if (username !== account.login) {
              await postJson('/api/auth/update-user', { username });
              window.location.assign('/settings');
              return;
            }
            setDone(true);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      >
        <label htmlFor="pf-username">Username</label>
        <input id="pf-username" name="username" defaultValue={account.login} required maxLength={39} />
        <p className="gf-note">
          After a rename your old username stays yours: its links and clone URLs keep working.
        </p>
        <label htmlFor="pf-full-name">Display name</label>
        <input id="pf-full-name" name="full_name" defaultValue={account.fullName} maxLength={255} />
        <div className="gf-checks">
          <label>
            <input type="checkbox" name="private" defaultChecked={account.keepEmailPrivate} /> Keep my email
            private (merges made here use a no-reply address)
          </label>
        </div>
        <ErrorLine error={error} />
        {done ? <p className="gf-note">Saved.</p> : null}
        <div className="gf-actions">
          <button type="submit">Save profile</button>
        </div>
      </form>
    </section>
  );
}
