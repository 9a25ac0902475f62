/** `/new`: a repository of the signed-in account or of an organization it may create in,
 * created through the API. */
import { ErrorLine, Page, postJson } from '../../Layout';
import type { Viewer } from '../../server-fns';
import { useSubmit } from '../../use-submit';

export function NewRepoPage({ viewer, owners }: { viewer: Viewer; owners: string[] }) {
  const { busy, error, submit } = useSubmit();
  return (
    <Page viewer={viewer} narrow>
      <h1>Create a new repository</h1>
      <p className="gf-note">
        Have a repository elsewhere? <a href="/repo/migrate">Migrate it</a> (the server fetches it, with its
        issues and pull requests from a Gitea-compatible server).
      </p>
      <form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          void submit(async () => {
            const owner = String(f.get('owner') ?? viewer.username);
            const path =
              owner === viewer.username
                ? '/api/v1/user/repos'
                : `/api/v1/orgs/${encodeURIComponent(owner)}/repos`;
            const repo = await postJson<{ full_name: string }>(path, {
              name: f.get('name'),
              description: f.get('description') || undefined,
              private: f.get('private') === 'on',
              default_branch: f.get('default_branch') || undefined,
            });
            return `/${repo.full_name}`;
          });
        }}
      >
        <label htmlFor="owner">Owner</label>
        <select id="owner" name="owner" defaultValue={viewer.username}>
          {(owners.length > 0 ? owners : [viewer.username]).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <label htmlFor="name">Repository name</label>
        <input id="name" name="name" required maxLength={100} pattern="[A-Za-z0-9._\-]+" />
        <label htmlFor="description">Description (optional)</label>
        <input id="description" name="description" maxLength={2048} />
        <label htmlFor="default_branch">Default branch</label>
        <input id="default_branch" name="default_branch" placeholder="main" maxLength={255} />
        <div className="gf-checks">
          <label>
            <input type="checkbox" name="private" /> Private
          </label>
        </div>
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="primary" type="submit" disabled={busy}>
            Create repository
          </button>
        </div>
      </form>
    </Page>
  );
}
