/** `/orgs/{org}/settings` (owners only): the organization's profile, its people and teams, and the
 * danger zone; every change goes through the organizations API. */
import { useState } from 'react';
import { useAction } from '../issues/use-action';
import { ErrorLine, Page, postJson } from '../Layout';
import type { Viewer } from '../server-fns';
import { useSubmit } from '../use-submit';
import type { OrgSettingsView } from './load-org-admin';
import { TeamForm } from './TeamForm';

const seg = encodeURIComponent;

function ProfileForm({ org }: { org: OrgSettingsView }) {
  const { busy, error, act } = useAction();
  const [saved, setSaved] = useState(false);
  return (
    <form
      data-testid="org-profile"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setSaved(false);
        void act(async () => {
          await postJson(
            `/api/v1/orgs/${seg(org.login)}`,
            {
              full_name: f.get('full_name'),
              description: f.get('description'),
              visibility: f.get('visibility'),
            },
            'PATCH',
          );
          setSaved(true);
        });
      }}
    >
      <label htmlFor="full_name">Display name</label>
      <input id="full_name" name="full_name" maxLength={255} defaultValue={org.fullName} />
      <label htmlFor="description">Description</label>
      <input id="description" name="description" maxLength={2048} defaultValue={org.description} />
      <label htmlFor="visibility">Visibility</label>
      <select id="visibility" name="visibility" defaultValue={org.visibility}>
        <option value="public">Public: anyone sees it</option>
        <option value="limited">Limited: signed-in users see it</option>
        <option value="private">Private: only members see it</option>
      </select>
      <ErrorLine error={error} />
      {saved && !error ? <p className="gf-note">Saved.</p> : null}
      <div className="gf-actions">
        <button className="primary" type="submit" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}

function DangerZone({ org }: { org: string }) {
  const { busy, error, setError, submit } = useSubmit();
  return (
    <section aria-labelledby="org-danger">
      <h2 id="org-danger">Danger zone</h2>
      <form
        data-testid="org-delete"
        onSubmit={(e) => {
          e.preventDefault();
          if (new FormData(e.currentTarget).get('confirm') !== org) {
            setError(`type ${org} to confirm`);
            return;
          }
          void submit(async () => {
            await postJson(`/api/v1/orgs/${seg(org)}`, undefined, 'DELETE');
            return '/';
          });
        }}
      >
        <p className="gf-note">
          An organization that still owns repositories cannot be deleted: delete or transfer them first.
        </p>
        <label htmlFor="confirm">Type {org} to confirm</label>
        <input id="confirm" name="confirm" required autoComplete="off" />
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="danger" type="submit" disabled={busy}>
            Delete this organization
          </button>
        </div>
      </form>
    </section>
  );
}

export function OrgSettingsPage({ viewer, org }: { viewer: Viewer | null; org: OrgSettingsView }) {
  return (
    <Page viewer={viewer} narrow>
      <h1>
        <a href={`/${seg(org.login)}`}>{org.login}</a> · Settings
      </h1>
      <ProfileForm org={org} />
      <h2>Members</h2>
      <ul className="gf-list" data-testid="org-members">
        {org.people.map((p) => (
          <li key={p.login}>
            <a href={`/${seg(p.login)}`}>{p.login}</a>
            {p.owner ? ' (owner)' : ''}
          </li>
        ))}
      </ul>
      <p className="gf-note">People join the organization by being added to one of its teams.</p>
      <h2>Teams</h2>
      <ul className="gf-list" data-testid="org-teams">
        {org.teams.map((t) => (
          <li key={t.name}>
            <a href={`/orgs/${seg(org.login)}/teams/${seg(t.name)}`}>{t.name}</a> · {t.permission}
          </li>
        ))}
      </ul>
      <h3>New team</h3>
      <TeamForm org={org.login} team={null} />
      <DangerZone org={org.login} />
    </Page>
  );
}
