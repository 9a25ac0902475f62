// The parts of an organization's page beyond its repositories: who is in it and its teams.
import type { OrgView } from './load-org';

export function OrgHeader({ login, org }: { login: string; org: OrgView }) {
  return (
    <>
      {org.description ? <p>{org.description}</p> : null}
      <p className="gf-note">
        Organization · {org.visibility}
        {org.location ? ` · ${org.location}` : ''}
        {org.website ? ` · ${org.website}` : ''}
        {org.owner ? (
          <>
            {' · '}
            <a href={`/orgs/${encodeURIComponent(login)}/settings`}>Settings</a>
          </>
        ) : null}
      </p>
    </>
  );
}

export function OrgPeopleAndTeams({ login, org }: { login: string; org: OrgView }) {
  if (!org.people || !org.teams) return null;
  return (
    <>
      <h2>People</h2>
      <ul className="gf-org-people">
        {org.people.map((p) => (
          <li key={p.login}>
            <a href={`/${encodeURIComponent(p.login)}`}>{p.login}</a>
            {p.owner ? ' (owner)' : ''}
          </li>
        ))}
      </ul>
      <h2>Teams</h2>
      <ul className="gf-org-teams">
        {org.teams.map((t) => (
          <li key={t.name}>
            <a href={`/orgs/${encodeURIComponent(login)}/teams/${encodeURIComponent(t.name)}`}>
              <strong>{t.name}</strong>
            </a>{' '}
            · {t.permission}
            {t.description ? ` · ${t.description}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
