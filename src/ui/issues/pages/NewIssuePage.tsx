import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import { repoUrl } from '../../repo/urls';
import type { Viewer } from '../../server-fns';
import { IssuesLayout } from '../components/IssuesLayout';

export function NewIssuePage({ viewer, repo }: { viewer: Viewer | null; repo: RepoView }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const api = `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/issues`;
  return (
    <IssuesLayout viewer={viewer} repo={repo}>
      <h2>New issue</h2>
      {viewer ? (
        <form
          method="post"
          className="is-form"
          data-testid="new-issue-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            setBusy(true);
            setError(null);
            try {
              const issue = await postJson<{ number: number }>(api, {
                title: f.get('title'),
                body: f.get('body'),
              });
              window.location.assign(`${repoUrl(repo)}/issues/${issue.number}`);
            } catch (err) {
              setError((err as Error).message);
              setBusy(false);
            }
          }}
        >
          <label htmlFor="title">Title</label>
          <input id="title" name="title" required maxLength={255} />
          <label htmlFor="body">Description (Markdown)</label>
          <textarea id="body" name="body" rows={10} maxLength={65536} />
          <ErrorLine error={error} />
          <div className="gf-actions">
            <button className="primary" type="submit" disabled={busy}>
              Submit new issue
            </button>
          </div>
        </form>
      ) : (
        <p>
          <a href="/login">Sign in</a> to open an issue.
        </p>
      )}
    </IssuesLayout>
  );
}
