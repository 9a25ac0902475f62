/** `/signup`: a new account with a username, an email and a password. */
import { ErrorLine, Page, postJson } from '../../Layout';
import type { Viewer } from '../../server-fns';
import { useSubmit } from '../../use-submit';

export function SignUpPage({ viewer }: { viewer: Viewer | null }) {
  const { busy, error, submit } = useSubmit();
  return (
    <Page viewer={viewer} narrow>
      <h1>Create your account</h1>
      <form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          void submit(async () => {
            await postJson('/api/auth/sign-up/email', {
              username: f.get('username'),
              name: f.get('name') || f.get('username'),
              email: f.get('email'),
              password: f.get('password'),
            });
            return '/';
          });
        }}
      >
        <label htmlFor="username">Username</label>
        <input
          id="username"
          name="username"
          required
          maxLength={39}
          pattern="[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
          autoComplete="username"
        />
        <label htmlFor="name">Full name</label>
        <input id="name" name="name" maxLength={255} autoComplete="name" />
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" required autoComplete="email" />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
        />
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="primary" type="submit" disabled={busy}>
            Sign up
          </button>
          <a href="/login">Already have an account?</a>
        </div>
      </form>
    </Page>
  );
}
