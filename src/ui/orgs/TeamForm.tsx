/** A team's settings as a form, the same for a new team (on the organization's settings page) and
 * an existing one (on its team page, with deletion): every change goes through the teams API,
 * whose refusals (a taken name, the Owners team's rules) are shown as they come. */

import { ErrorLine, postJson } from '../Layout';
import { useSubmit } from '../use-submit';
import type { TeamView } from './load-org-admin';

const seg = encodeURIComponent;

/** Gitea's unit names a team may be given (stored and returned; see the README's limits). */
const UNITS = [
  ['repo.code', 'Code'],
  ['repo.issues', 'Issues'],
  ['repo.pulls', 'Pull requests'],
  ['repo.releases', 'Releases'],
] as const;

export type TeamSettings = Pick<
  TeamView,
  'id' | 'name' | 'description' | 'permission' | 'includesAllRepositories' | 'canCreateOrgRepo' | 'units'
>;

const teamPage = (org: string, name: string) => `/orgs/${seg(org)}/teams/${seg(name)}`;

/** Creates a team of `org` when `team` is null, else edits it; then opens the team's page. */
export function TeamForm({ org, team }: { org: string; team: TeamSettings | null }) {
  const { busy, error, submit } = useSubmit();
  const key = team ? `team-${team.id}` : 'new-team';
  return (
    <form
      data-testid={team ? 'team-settings' : 'new-team'}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const body = {
          name: String(f.get('name') ?? '').trim(),
          description: String(f.get('description') ?? ''),
          // The Owners team's permission is not sent: the API refuses any change to it.
          permission: f.get('permission') === 'owner' ? undefined : f.get('permission'),
          includes_all_repositories: f.get('includes_all_repositories') === 'on',
          can_create_org_repo: f.get('can_create_org_repo') === 'on',
          units: f.getAll('units'),
        };
        void submit(async () => {
          const saved = team
            ? await postJson<{ name: string }>(`/api/v1/teams/${team.id}`, body, 'PATCH')
            : await postJson<{ name: string }>(`/api/v1/orgs/${seg(org)}/teams`, body);
          return teamPage(org, saved.name);
        });
      }}
    >
      <label htmlFor={`${key}-name`}>Team name</label>
      <input
        id={`${key}-name`}
        name="name"
        required
        maxLength={255}
        pattern="[A-Za-z0-9._\-]+"
        defaultValue={team?.name}
      />
      <label htmlFor={`${key}-description`}>Description</label>
      <input id={`${key}-description`} name="description" maxLength={2048} defaultValue={team?.description} />
      <label htmlFor={`${key}-permission`}>Permission</label>
      <select id={`${key}-permission`} name="permission" defaultValue={team?.permission ?? 'read'}>
        {team?.permission === 'owner' ? <option value="owner">Owner: manages the organization</option> : null}
        <option value="read">Read: clone, browse, open issues</option>
        <option value="write">Write: also push and merge</option>
        <option value="admin">Admin: also manage the repositories</option>
      </select>
      <div className="gf-checks">
        <label>
          <input
            type="checkbox"
            name="includes_all_repositories"
            defaultChecked={team?.includesAllRepositories ?? false}
          />{' '}
          All repositories of the organization
        </label>
        <label>
          <input
            type="checkbox"
            name="can_create_org_repo"
            defaultChecked={team?.canCreateOrgRepo ?? false}
          />{' '}
          May create repositories
        </label>
      </div>
      <fieldset className="gf-checks">
        <legend>Units</legend>
        {UNITS.map(([unit, label]) => (
          <label key={unit}>
            <input
              type="checkbox"
              name="units"
              value={unit}
              defaultChecked={team ? team.units.includes(unit) : true}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <ErrorLine error={error} />
      <div className="gf-actions">
        <button className="primary" type="submit" disabled={busy}>
          {team ? 'Save team' : 'Create team'}
        </button>
      </div>
    </form>
  );
}

/** Deletes the team, then opens the organization's settings (the API refuses the Owners team). */
export function DeleteTeam({ org, team }: { org: string; team: { id: number; name: string } }) {
  const { busy, error, submit } = useSubmit();
  return (
    <form
      data-testid="team-delete"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(async () => {
          await postJson(`/api/v1/teams/${team.id}`, undefined, 'DELETE');
          return `/orgs/${seg(org)}/settings`;
        });
      }}
    >
      <ErrorLine error={error} />
      <div className="gf-actions">
        <button className="danger" type="submit" disabled={busy}>
          Delete team {team.name}
        </button>
      </div>
    </form>
  );
}
