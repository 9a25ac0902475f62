/**
 * Settings → Push mirrors: where the repository is pushed to (addresses without credentials), each
 * one's interval, whether it follows every push, its last update and error; add, delete and
 * "Sync now" (all of them), all through the push_mirrors API with the session.
 */
import { ErrorLine, postJson } from '../Layout';
import type { RepoView } from '../repo/server/view-types';
import { repoApi } from '../settings/urls';
import { useManagedList } from '../use-managed-list';

interface PushMirror {
  remote_name: string;
  remote_address: string;
  interval: string;
  sync_on_commit: boolean;
  last_update: string;
  last_error: string;
}

/** Gitea's zero time: never pushed. */
const NEVER = '1970-01-01T00:00:00Z';

function mirrorFromForm(data: FormData) {
  const text = (k: string) => String(data.get(k) ?? '').trim() || undefined;
  return {
    remote_address: text('remote_address'),
    remote_username: text('remote_username'),
    remote_password: data.get('remote_password') || undefined,
    interval: text('interval'),
    sync_on_commit: data.get('sync_on_commit') === 'on',
  };
}

export function PushMirrorSettings({ repo }: { repo: RepoView }) {
  const api = `${repoApi(repo)}/push_mirrors`;
  const { items, busy, error, act, addFrom } = useManagedList(api, () =>
    postJson<PushMirror[]>(api, undefined, 'GET'),
  );
  return (
    <section className="st-section" aria-labelledby="st-push-mirrors">
      <h3 id="st-push-mirrors">Push mirrors</h3>
      {items === null ? (
        <p className="gf-note">Loading…</p>
      ) : items.length === 0 ? (
        <p className="gf-note">No push mirrors yet.</p>
      ) : (
        <>
          <ul className="gf-list" data-testid="push-mirror-list">
            {items.map((m) => (
              <li key={m.remote_name} data-testid="push-mirror" data-remote={m.remote_name}>
                <span className="grow">
                  <code>{m.remote_address}</code>{' '}
                  <span className="gf-note">
                    — every {m.interval === '0h0m0s' ? 'sync on demand' : m.interval}
                    {m.sync_on_commit ? ', after each push' : ''} — last update{' '}
                    <span data-testid="last-update">{m.last_update === NEVER ? 'never' : m.last_update}</span>
                  </span>
                  {m.last_error && (
                    <strong className="gf-error" data-testid="last-error">
                      {' '}
                      — {m.last_error}
                    </strong>
                  )}
                </span>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    act(() => postJson(`${api}/${encodeURIComponent(m.remote_name)}`, undefined, 'DELETE'))
                  }
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            disabled={busy}
            onClick={() => act(() => postJson(`${repoApi(repo)}/push_mirrors-sync`, {}))}
          >
            {busy ? 'Syncing…' : 'Sync now'}
          </button>
        </>
      )}
      <form
        onSubmit={(e) => addFrom(e, (data) => postJson(api, mirrorFromForm(data)))}
        aria-label="Add push mirror"
      >
        <label>
          Remote address <input name="remote_address" type="url" required maxLength={2048} />
        </label>
        <label>
          Username <input name="remote_username" autoComplete="off" maxLength={1024} />
        </label>
        <label>
          Password or token{' '}
          <input name="remote_password" type="password" autoComplete="new-password" maxLength={1024} />
        </label>
        <label>
          Interval <input name="interval" defaultValue="8h0m0s" maxLength={40} />
        </label>
        <label>
          <input type="checkbox" name="sync_on_commit" /> Push after each push to this repository
        </label>
        <button type="submit" disabled={busy}>
          Add push mirror
        </button>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}
