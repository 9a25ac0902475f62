/**
 * Settings → Mirror (a pull mirror only): where it syncs from, the last sync and its error, the
 * interval (Gitea's `mirror_interval` through PATCH) and "Sync now" (mirror-sync).
 */
import { useState } from 'react';
import { formatMirrorInterval } from '../../services/mirror-interval';
import { useAction } from '../issues/use-action';
import { ErrorLine, postJson } from '../Layout';
import type { RepoSourceView, RepoView } from '../repo/server/view-types';
import { repoApi } from '../settings/urls';

export function PullMirrorSettings({ repo, source }: { repo: RepoView; source: RepoSourceView }) {
  const { busy, error, act } = useAction();
  // Written as the API writes it (Gitea's Go duration).
  const [value, setValue] = useState(formatMirrorInterval(source.intervalSeconds ?? 0));
  return (
    <section className="st-section" aria-labelledby="st-mirror" data-testid="pull-mirror-settings">
      <h3 id="st-mirror">Mirror</h3>
      <p>
        Mirror of <code>{source.url}</code> — last synced{' '}
        <span data-testid="last-sync">{source.lastSyncAt ?? 'never'}</span>
      </p>
      {source.error && (
        <p className="gf-error" data-testid="last-sync-error">
          Last sync failed: {source.error}
        </p>
      )}
      <form
        className="st-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => postJson(repoApi(repo), { mirror_interval: value }, 'PATCH'));
        }}
        aria-label="Mirror interval"
      >
        <label htmlFor="st-mirror-interval">Sync interval (0 for on demand only)</label>
        <input
          id="st-mirror-interval"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          maxLength={40}
        />
        <button type="submit" disabled={busy}>
          Save interval
        </button>
      </form>
      <button
        type="button"
        disabled={busy}
        onClick={() => act(() => postJson(`${repoApi(repo)}/mirror-sync`, undefined))}
      >
        {busy ? 'Syncing…' : 'Sync now'}
      </button>
      <ErrorLine error={error} />
    </section>
  );
}
