/**
 * `/repo/migrate`: bring a repository in from another server, through `POST /repos/migrate` (the
 * API's own checks and messages). The request runs while the server fetches, so the page shows the
 * migration's state meanwhile, read from the repository as soon as it exists.
 */
import { useState } from 'react';
import { ErrorLine, Page, postJson } from '../Layout';
import type { Viewer } from '../server-fns';
import { useMigrationStatus } from './use-migration-status';

/** What a Gitea-service migration may bring besides the git data (the API's field names). */
const GITEA_ITEMS = [
  ['issues', 'Issues'],
  ['labels', 'Labels'],
  ['milestones', 'Milestones'],
  ['pull_requests', 'Pull requests'],
  ['releases', 'Releases'],
] as const;

/** The request body from the form: empty optional fields left out, as the API's defaults apply. */
export function migrateBody(f: FormData, viewer: string): Record<string, unknown> {
  const text = (k: string) => {
    const v = String(f.get(k) ?? '').trim();
    return v === '' ? undefined : v;
  };
  const service = text('service') ?? 'git';
  const mirror = f.get('mirror') === 'on';
  return {
    clone_addr: text('clone_addr'),
    auth_username: text('auth_username'),
    auth_password: f.get('auth_password') || undefined,
    auth_token: f.get('auth_token') || undefined,
    repo_owner: text('owner') ?? viewer,
    repo_name: text('repo_name'),
    description: text('description'),
    private: f.get('private') === 'on',
    service,
    mirror,
    mirror_interval: mirror ? text('mirror_interval') : undefined,
    ...(service === 'gitea' && !mirror
      ? Object.fromEntries(GITEA_ITEMS.map(([k]) => [k, f.get(k) === 'on']))
      : {}),
  };
}

/** The address to show: credentials written into it are never put on the page. */
function withoutCredentials(addr: unknown): string {
  try {
    const u = new URL(String(addr));
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return String(addr);
  }
}

export function NewMigrationPage({ viewer, owners }: { viewer: Viewer; owners: string[] }) {
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<{ owner: string; name: string; from: string } | null>(null);
  const [service, setService] = useState('git');
  const [mirror, setMirror] = useState(false);
  const status = useMigrationStatus(target);
  const submit = async (body: Record<string, unknown>) => {
    setError(null);
    setTarget({
      owner: String(body.repo_owner),
      name: String(body.repo_name),
      from: withoutCredentials(body.clone_addr),
    });
    try {
      const repo = await postJson<{ full_name: string }>('/api/v1/repos/migrate', body);
      window.location.assign(`/${repo.full_name}`);
    } catch (err) {
      setError((err as Error).message);
      setTarget(null);
    }
  };
  return (
    <Page viewer={viewer} narrow>
      <h1>New migration</h1>
      <p className="gf-note">
        The server fetches the repository from another git server (any size; no push needed). From a Gitea,
        Forgejo or Gitflare server it can bring issues, pull requests, labels, milestones and releases too.
      </p>
      <form
        method="post"
        data-testid="migrate-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(migrateBody(new FormData(e.currentTarget), viewer.username));
        }}
      >
        <label htmlFor="clone_addr">Clone URL</label>
        <input
          id="clone_addr"
          name="clone_addr"
          type="url"
          required
          maxLength={2048}
          placeholder="https://example.com/owner/repo.git"
        />
        <fieldset className="gf-checks">
          <legend>Credentials (optional, kept encrypted and never shown again)</legend>
          <label htmlFor="auth_username">Username</label>
          <input id="auth_username" name="auth_username" autoComplete="off" maxLength={1024} />
          <label htmlFor="auth_password">Password</label>
          <input
            id="auth_password"
            name="auth_password"
            type="password"
            autoComplete="new-password"
            maxLength={1024}
          />
          <label htmlFor="auth_token">Access token</label>
          <input id="auth_token" name="auth_token" type="password" autoComplete="off" maxLength={1024} />
        </fieldset>
        <label htmlFor="service">Source</label>
        <select id="service" name="service" value={service} onChange={(e) => setService(e.target.value)}>
          <option value="git">Git (any server)</option>
          <option value="gitea">Gitea, Forgejo or Gitflare</option>
        </select>
        <div className="gf-checks">
          <label>
            <input
              type="checkbox"
              name="mirror"
              checked={mirror}
              onChange={(e) => setMirror(e.target.checked)}
            />{' '}
            Mirror (read-only, kept in sync with the source)
          </label>
        </div>
        {mirror && (
          <>
            <label htmlFor="mirror_interval">Sync interval</label>
            <input id="mirror_interval" name="mirror_interval" defaultValue="8h0m0s" maxLength={40} />
          </>
        )}
        {service === 'gitea' && !mirror && (
          <fieldset className="gf-checks" data-testid="gitea-items">
            <legend>Also migrate</legend>
            {GITEA_ITEMS.map(([k, label]) => (
              <label key={k}>
                <input type="checkbox" name={k} defaultChecked /> {label}
              </label>
            ))}
          </fieldset>
        )}
        <label htmlFor="owner">Owner</label>
        <select id="owner" name="owner" defaultValue={viewer.username}>
          {(owners.length > 0 ? owners : [viewer.username]).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <label htmlFor="repo_name">Repository name</label>
        <input id="repo_name" name="repo_name" required maxLength={100} pattern="[A-Za-z0-9._\-]+" />
        <label htmlFor="description">Description (optional)</label>
        <input id="description" name="description" maxLength={2048} />
        <div className="gf-checks">
          <label>
            <input type="checkbox" name="private" /> Private
          </label>
        </div>
        <ErrorLine error={error} />
        {target && (
          <p
            className="gf-note"
            role="status"
            data-testid="migrate-progress"
            data-status={status ?? 'starting'}
          >
            Migrating from <code>{target.from}</code>: {status === null ? 'starting…' : status}
          </p>
        )}
        <div className="gf-actions">
          <button className="primary" type="submit" disabled={target !== null}>
            Migrate repository
          </button>
        </div>
      </form>
    </Page>
  );
}
