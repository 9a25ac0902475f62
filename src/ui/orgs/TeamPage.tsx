/** `/orgs/{org}/teams/{team}` (members of the organization): the team's permission, members and
 * repositories; owners add and remove members and repositories through the teams API. */
import { useAction } from '../issues/use-action';
import { ErrorLine, Page, postJson } from '../Layout';
import type { Viewer } from '../server-fns';
import type { TeamView } from './load-org-admin';
import { DeleteTeam, TeamForm } from './TeamForm';

const seg = encodeURIComponent;

/** A list of names, each with a Remove button for owners, and an add form under it. */
function ManagedList({
  kind,
  items,
  href,
  manage,
  add,
}: {
  kind: 'member' | 'repository';
  items: string[];
  href: (name: string) => string;
  /** The API path of one item, when the viewer may change the list. */
  manage: ((name: string) => string) | null;
  add: React.ReactNode;
}) {
  const { busy, error, act } = useAction();
  return (
    <>
      {items.length === 0 ? (
        <p className="gf-note">No {kind === 'member' ? 'members' : 'repositories'}.</p>
      ) : null}
      <ul className="gf-list" data-testid={`team-${kind}s`}>
        {items.map((name) => (
          <li key={name}>
            <span className="grow">
              <a href={href(name)}>{name}</a>
            </span>
            {manage ? (
              <button
                type="button"
                disabled={busy}
                aria-label={`Remove ${name}`}
                onClick={() => void act(() => postJson(manage(name), undefined, 'DELETE'))}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {manage ? (
        <form
          className="st-inline"
          data-testid={`add-team-${kind}`}
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const name = String(new FormData(form).get('name') ?? '').trim();
            if (name) void act(() => postJson(manage(name), undefined, 'PUT')).then(() => form.reset());
          }}
        >
          {add}
          <button type="submit" disabled={busy}>
            Add {kind}
          </button>
        </form>
      ) : null}
      <ErrorLine error={error} />
    </>
  );
}

export function TeamPage({ viewer, team }: { viewer: Viewer | null; team: TeamView }) {
  const api = `/api/v1/teams/${team.id}`;
  const addable = (team.orgRepos ?? []).filter((r) => !team.repos.includes(r));
  return (
    <Page viewer={viewer} narrow>
      <h1>
        <a href={`/${seg(team.org)}`}>{team.org}</a> / {team.name}
      </h1>
      {team.description ? <p>{team.description}</p> : null}
      <p className="gf-note" data-testid="team-permission">
        Permission: {team.permission}
        {team.includesAllRepositories ? ' · all repositories' : ''}
      </p>
      <h2>Members</h2>
      <ManagedList
        kind="member"
        items={team.members}
        href={(n) => `/${seg(n)}`}
        manage={team.manage ? (n) => `${api}/members/${seg(n)}` : null}
        add={<input name="name" placeholder="Username" aria-label="Username" required maxLength={100} />}
      />
      <h2>Repositories</h2>
      <ManagedList
        kind="repository"
        items={team.repos}
        href={(n) => `/${seg(team.org)}/${seg(n)}`}
        manage={team.orgRepos !== null ? (n) => `${api}/repos/${seg(team.org)}/${seg(n)}` : null}
        add={
          <select name="name" aria-label="Repository" required>
            {addable.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        }
      />
      {team.manage ? (
        <section aria-labelledby="team-settings">
          <h2 id="team-settings">Team settings</h2>
          <TeamForm org={team.org} team={team} />
          <DeleteTeam org={team.org} team={team} />
        </section>
      ) : null}
    </Page>
  );
}
