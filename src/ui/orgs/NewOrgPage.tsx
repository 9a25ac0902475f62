/** `/organizations/new`: an organization created through the API; its creator is its owner. */
import { ErrorLine, Page, postJson } from '../Layout';
import type { Viewer } from '../server-fns';
import { useSubmit } from '../use-submit';

export function NewOrgPage({ viewer }: { viewer: Viewer }) {
  const { busy, error, submit } = useSubmit();
  return (
    <Page viewer={viewer} narrow>
      <h1>Create a new organization</h1>
      <form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          void submit(async () => {
            const org = await postJson<{ name: string }>('/api/v1/orgs', {
              username: f.get('username'),
              full_name: f.get('full_name') || undefined,
              description: f.get('description') || undefined,
              visibility: f.get('visibility'),
            });
            return `/${org.name}`;
          });
        }}
      >
        <label htmlFor="username">Organization name</label>
        <input id="username" name="username" required maxLength={39} pattern="[A-Za-z0-9\-]+" />
        <label htmlFor="full_name">Display name (optional)</label>
        <input id="full_name" name="full_name" maxLength={255} />
        <label htmlFor="description">Description (optional)</label>
        <input id="description" name="description" maxLength={2048} />
        <label htmlFor="visibility">Visibility</label>
        <select id="visibility" name="visibility" defaultValue="public">
          <option value="public">Public: anyone sees it</option>
          <option value="limited">Limited: signed-in users see it</option>
          <option value="private">Private: only members see it</option>
        </select>
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="primary" type="submit" disabled={busy}>
            Create organization
          </button>
        </div>
      </form>
    </Page>
  );
}
