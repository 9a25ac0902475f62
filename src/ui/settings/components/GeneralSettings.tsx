/** Description, visibility and default branch: one form, saved with the repository PATCH API. */
import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import { repoApi } from '../urls';

export function GeneralSettings({
  repo,
  branches,
  onSaved,
}: {
  repo: RepoView;
  branches: string[];
  onSaved: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // The current default branch stays selectable even before it exists (empty repository).
  const choices = branches.includes(repo.defaultBranch) ? branches : [repo.defaultBranch, ...branches];
  return (
    <section className="st-section" aria-labelledby="st-general">
      <h3 id="st-general">General</h3>
      {/* Keyed by the saved values so that they refill the uncontrolled fields; the "Saved." note
          is this component's state, so it survives that remount (keying the whole page lost it). */}
      <form
        key={`${repo.description}|${repo.private}|${repo.defaultBranch}`}
        data-testid="general-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          setBusy(true);
          setError(null);
          setSaved(false);
          try {
            await postJson(
              repoApi(repo),
              {
                description: String(f.get('description') ?? ''),
                private: f.get('visibility') === 'private',
                default_branch: String(f.get('default_branch') ?? repo.defaultBranch),
              },
              'PATCH',
            );
            await onSaved();
            setSaved(true);
          } catch (err) {
            setError((err as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label htmlFor="st-description">Description</label>
        <input id="st-description" name="description" defaultValue={repo.description} maxLength={2048} />
        <fieldset className="st-radios">
          <legend>Visibility</legend>
          <label>
            <input type="radio" name="visibility" value="public" defaultChecked={!repo.private} /> Public —
            anyone can see this repository
          </label>
          <label>
            <input type="radio" name="visibility" value="private" defaultChecked={repo.private} /> Private —
            only you and collaborators
          </label>
        </fieldset>
        <label htmlFor="st-branch">Default branch</label>
        <select id="st-branch" name="default_branch" defaultValue={repo.defaultBranch}>
          {choices.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="primary" type="submit" disabled={busy}>
            Save changes
          </button>
          {saved ? (
            <span className="gf-note" role="status" data-testid="general-saved">
              Saved.
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}
