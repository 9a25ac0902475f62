import { useState } from 'react';
import { LabelBadge } from '../components/LabelBadge';
import type { IssueDetail, LiveLabel } from '../types';

/** Labels, milestone and assignees of an issue; writers change labels and assignees here. */
export function IssueSidebar({
  issue,
  repoLabels,
  canWrite,
  busy,
  labelHref,
  milestoneHref,
  save,
}: {
  issue: IssueDetail;
  repoLabels: LiveLabel[];
  canWrite: boolean;
  busy: boolean;
  labelHref: (name: string) => string;
  milestoneHref: (title: string) => string;
  save: (change: { labels?: number[]; assignees?: string[] }) => void;
}) {
  const [editLabels, setEditLabels] = useState(false);
  const [editAssignees, setEditAssignees] = useState(false);
  return (
    <aside className="is-sidebar">
      <section data-testid="issue-labels">
        <h3>
          Labels
          {canWrite ? (
            <button type="button" className="is-small" onClick={() => setEditLabels(!editLabels)}>
              {editLabels ? 'Cancel' : 'Edit'}
            </button>
          ) : null}
        </h3>
        {editLabels ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const ids = new FormData(e.currentTarget).getAll('label').map(Number);
              save({ labels: ids });
              setEditLabels(false);
            }}
          >
            {repoLabels.length === 0 ? <p className="is-meta">No labels yet.</p> : null}
            {repoLabels.map((l) => (
              <label key={l.id} className="is-check">
                <input
                  type="checkbox"
                  name="label"
                  value={l.id}
                  defaultChecked={issue.labels.some((x) => x.id === l.id)}
                />{' '}
                <LabelBadge label={l} />
              </label>
            ))}
            <button type="submit" disabled={busy}>
              Save labels
            </button>
          </form>
        ) : issue.labels.length === 0 ? (
          <p className="is-meta">None yet</p>
        ) : (
          <p>
            {issue.labels.map((l) => (
              <LabelBadge key={l.id} label={l} href={labelHref(l.name)} />
            ))}
          </p>
        )}
      </section>
      <section data-testid="issue-milestone">
        <h3>Milestone</h3>
        {issue.milestone ? (
          <p>
            <a href={milestoneHref(issue.milestone.title)}>{issue.milestone.title}</a>
          </p>
        ) : (
          <p className="is-meta">No milestone</p>
        )}
      </section>
      <section data-testid="issue-assignees">
        <h3>
          Assignees
          {canWrite ? (
            <button type="button" className="is-small" onClick={() => setEditAssignees(!editAssignees)}>
              {editAssignees ? 'Cancel' : 'Edit'}
            </button>
          ) : null}
        </h3>
        {editAssignees ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const text = String(new FormData(e.currentTarget).get('assignees') ?? '');
              save({ assignees: text.split(/[\s,]+/).filter(Boolean) });
              setEditAssignees(false);
            }}
          >
            <input
              name="assignees"
              defaultValue={issue.assignees.join(', ')}
              aria-label="Assignees (user names)"
            />
            <button type="submit" disabled={busy}>
              Save assignees
            </button>
          </form>
        ) : issue.assignees.length === 0 ? (
          <p className="is-meta">No one assigned</p>
        ) : (
          <ul className="is-plain">
            {issue.assignees.map((a) => (
              <li key={a}>
                <a href={`/${encodeURIComponent(a)}`}>{a}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
