/** Collaborators: list, add with a permission, change it, remove; through the collaborators API. */
import { useState } from 'react';
import type { CollaboratorPermission } from '../../../db/repos';
import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import type { SettingsCollaborator } from '../types';
import { collaboratorApi } from '../urls';

const PERMISSIONS: CollaboratorPermission[] = ['read', 'write', 'admin'];

function PermissionSelect({
  value,
  name,
  label,
  onChange,
}: {
  value?: CollaboratorPermission;
  name: string;
  label: string;
  onChange?: (p: CollaboratorPermission) => void;
}) {
  return (
    <select
      name={name}
      aria-label={label}
      defaultValue={value ?? 'write'}
      onChange={onChange ? (e) => onChange(e.target.value as CollaboratorPermission) : undefined}
    >
      {PERMISSIONS.map((p) => (
        <option key={p} value={p}>
          {p}
        </option>
      ))}
    </select>
  );
}

export function CollaboratorSettings({
  repo,
  collaborators,
  onChanged,
}: {
  repo: RepoView;
  collaborators: SettingsCollaborator[];
  onChanged: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (f: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await f();
      await onChanged();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="st-section" aria-labelledby="st-collab">
      <h3 id="st-collab">Collaborators</h3>
      {collaborators.length === 0 ? (
        <p className="gf-note">No collaborators yet.</p>
      ) : (
        <ul className="gf-list" data-testid="collaborator-list">
          {collaborators.map((c) => (
            <li key={c.login} data-testid="collaborator" data-login={c.login}>
              <span className="grow">
                <a href={`/${encodeURIComponent(c.login)}`}>{c.login}</a>
                {c.fullName && c.fullName !== c.login ? (
                  <span className="gf-note"> — {c.fullName}</span>
                ) : null}
              </span>
              <PermissionSelect
                name="permission"
                label={`Permission of ${c.login}`}
                value={c.permission}
                onChange={(p) =>
                  void act(() => postJson(collaboratorApi(repo, c.login), { permission: p }, 'PUT'))
                }
              />
              <button
                type="button"
                disabled={busy}
                onClick={() => void act(() => postJson(collaboratorApi(repo, c.login), undefined, 'DELETE'))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="st-inline"
        data-testid="add-collaborator"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          const login = String(f.get('login') ?? '').trim();
          if (!login) return;
          const ok = await act(() =>
            postJson(collaboratorApi(repo, login), { permission: f.get('permission') }, 'PUT'),
          );
          if (ok) form.reset();
        }}
      >
        <input name="login" placeholder="Username" aria-label="Username" required maxLength={100} />
        <PermissionSelect name="permission" label="Permission" />
        <button type="submit" disabled={busy}>
          Add collaborator
        </button>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}
