/** Rename and delete: both move the browser away, since the old address stops existing. */
import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import { repoApi } from '../urls';

export function DangerZone({ repo }: { repo: RepoView }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmText, setConfirmText] = useState('');
  const act = async (f: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      window.location.assign(await f());
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  const owner = encodeURIComponent(repo.owner);
  return (
    <section className="st-section st-danger" aria-labelledby="st-danger">
      <h3 id="st-danger">Danger zone</h3>
      <form
        className="st-inline"
        data-testid="rename-form"
        onSubmit={(e) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
          void act(async () => {
            const r = await postJson<{ name: string }>(repoApi(repo), { name }, 'PATCH');
            return `/${owner}/${encodeURIComponent(r.name)}/settings`;
          });
        }}
      >
        <label htmlFor="st-rename">Repository name</label>
        <input id="st-rename" name="name" defaultValue={repo.name} required maxLength={100} />
        <button type="submit" disabled={busy}>
          Rename
        </button>
      </form>
      <form
        data-testid="delete-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (confirmText !== repo.name) return;
          void act(async () => {
            await postJson(repoApi(repo), undefined, 'DELETE');
            return `/${owner}`;
          });
        }}
      >
        <p>
          Deleting removes the repository, its git data, issues and pull requests for good. Type{' '}
          <strong>{repo.name}</strong> to confirm.
        </p>
        <div className="st-inline">
          <input
            name="confirm"
            aria-label="Repository name to confirm"
            value={confirmText}
            onChange={(e) => setConfirmText(e.target.value)}
            autoComplete="off"
          />
          <button className="st-delete" type="submit" disabled={busy || confirmText !== repo.name}>
            Delete this repository
          </button>
        </div>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}
