import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import { repoUrl } from '../../repo/urls';
import type { Viewer } from '../../server-fns';
import { IssuesLayout } from '../components/IssuesLayout';
import { LabelBadge } from '../components/LabelBadge';
import type { IssuePageData } from '../types';
import { useAction } from '../use-action';

type LabelsData = Extract<IssuePageData, { page: 'labels' }>;

/** The repository's labels; writers add and delete them. */
export function LabelsPage({
  viewer,
  repo,
  canWrite,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  canWrite: boolean;
  data: LabelsData;
}) {
  const { busy, error, act } = useAction();
  const api = `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/labels`;
  return (
    <IssuesLayout viewer={viewer} repo={repo}>
      <h2>Labels</h2>
      {canWrite ? (
        <form
          method="post"
          className="is-filters"
          data-testid="label-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const f = new FormData(form);
            void act(async () => {
              await postJson(api, {
                name: f.get('name'),
                color: f.get('color'),
                description: f.get('description'),
              });
              form.reset();
            });
          }}
        >
          <input name="name" placeholder="Label name" required maxLength={50} aria-label="Label name" />
          <input name="color" type="color" defaultValue="#0075ca" aria-label="Color" />
          <input
            name="description"
            placeholder="Description (optional)"
            maxLength={200}
            aria-label="Description"
          />
          <button className="primary" type="submit" disabled={busy}>
            Create label
          </button>
        </form>
      ) : null}
      <ErrorLine error={error} />
      <div className="rp-box">
        {data.labels.length === 0 ? (
          <p className="is-empty">No labels yet.</p>
        ) : (
          <ul className="is-list" data-testid="label-list">
            {data.labels.map((l) => (
              <li key={l.id}>
                <LabelBadge label={l} href={`${repoUrl(repo)}/issues?label=${encodeURIComponent(l.name)}`} />
                <span className="is-grow is-meta">{l.description}</span>
                <span className="is-meta">{l.openCount} open</span>
                {canWrite ? (
                  <button
                    type="button"
                    className="is-small"
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(`Delete the label ${l.name}?`))
                        void act(() => postJson(`${api}/${l.id}`, undefined, 'DELETE'));
                    }}
                  >
                    Delete
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </div>
    </IssuesLayout>
  );
}
