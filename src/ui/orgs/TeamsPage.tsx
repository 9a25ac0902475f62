/** `/orgs/{org}/teams` (members of the organization): its teams; owners are pointed to the
 * settings page, where teams are created. */
import { Page } from '../Layout';
import type { Viewer } from '../server-fns';

const seg = encodeURIComponent;

export interface TeamsView {
  login: string;
  owner: boolean;
  teams: { name: string; permission: string; description: string }[];
}

export function TeamsPage({ viewer, org }: { viewer: Viewer | null; org: TeamsView }) {
  return (
    <Page viewer={viewer} narrow>
      <h1>
        <a href={`/${seg(org.login)}`}>{org.login}</a> · Teams
      </h1>
      <ul className="gf-list" data-testid="org-team-list">
        {org.teams.map((t) => (
          <li key={t.name}>
            <span className="grow">
              <a href={`/orgs/${seg(org.login)}/teams/${seg(t.name)}`}>
                <strong>{t.name}</strong>
              </a>{' '}
              · {t.permission}
              {t.description ? ` · ${t.description}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {org.owner ? (
        <p className="gf-note">
          <a href={`/orgs/${seg(org.login)}/settings`}>New team</a> (on the organization's settings)
        </p>
      ) : null}
    </Page>
  );
}
