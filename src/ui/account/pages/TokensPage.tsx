/** `/settings/tokens`: the account's personal access tokens, made and revoked through the API. */
import { useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import { SCOPES } from '../../../auth/scopes';
import { ErrorLine, Page, postJson } from '../../Layout';
import type { Viewer } from '../../server-fns';
import type { TokenSummary } from '../types';

export function TokensPage({ viewer, tokens }: { viewer: Viewer; tokens: TokenSummary[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; sha1: string } | null>(null);
  const base = `/api/v1/users/${encodeURIComponent(viewer.username)}/tokens`;
  return (
    <Page viewer={viewer}>
      <h1>Personal access tokens</h1>
      <p className="gf-note">
        Tokens authenticate git and API clients: use one as the password with your username, or send
        <code> Authorization: token …</code>.
      </p>
      {created ? (
        <div>
          <p>
            New token <strong>{created.name}</strong>. Copy it now: it will not be shown again.
          </p>
          <p className="gf-secret" data-testid="new-token">
            {created.sha1}
          </p>
        </div>
      ) : null}
      <h2>Generate a token</h2>
      <form
        method="post"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          setError(null);
          try {
            const t = await postJson<{ name: string; sha1: string }>(base, {
              name: f.get('name'),
              scopes: f.getAll('scopes').map(String),
            });
            form.reset();
            setCreated({ name: t.name, sha1: t.sha1 });
            await router.invalidate();
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      >
        <label htmlFor="name">Name</label>
        <input id="name" name="name" required maxLength={255} />
        <fieldset className="gf-checks">
          <legend>Scopes (none checked: all)</legend>

          {SCOPES.map((s) => (
            <label key={s}>
              <input type="checkbox" name="scopes" value={s} /> {s}
            </label>
          ))}
        </fieldset>
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="primary" type="submit">
            Generate token
          </button>
        </div>
      </form>
      <h2>Your tokens</h2>
      {tokens.length === 0 ? (
        <p className="gf-note">No tokens.</p>
      ) : (
        <ul className="gf-list">
          {tokens.map((t) => (
            <li key={t.id}>
              <span className="grow">
                <strong>{t.name}</strong> <span className="gf-note">…{t.lastEight}</span>{' '}
                <span className="gf-badge">{t.scopes.join(', ')}</span>
                <br />
                <span className="gf-note">
                  {t.lastUsedAt ? `last used ${t.lastUsedAt}` : 'never used'}
                  {t.expiresAt ? ` · expires ${t.expiresAt}` : ''}
                </span>
              </span>
              <button
                className="danger"
                type="button"
                onClick={async () => {
                  setError(null);
                  try {
                    await postJson(`${base}/${t.id}`, undefined, 'DELETE');
                    await router.invalidate();
                  } catch (err) {
                    setError((err as Error).message);
                  }
                }}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
