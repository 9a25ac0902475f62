import type { RepoView } from '../../repo/server/view-types';
import { repoUrl } from '../../repo/urls';
import type { Viewer } from '../../server-fns';
import { IssuesLayout } from '../components/IssuesLayout';
import { LabelBadge, StateBadge } from '../components/LabelBadge';
import type { IssueListFilter, IssuePageData } from '../types';

type ListData = Extract<IssuePageData, { page: 'list' }>;

/** The list URL with some of the filter changed (a new filter starts again at page 1). */
function listHref(repo: RepoView, f: IssueListFilter, change: Partial<IssueListFilter>): string {
  const next = { ...f, page: 1, ...change };
  const q = new URLSearchParams();
  if (next.state !== 'open') q.set('state', next.state);
  if (next.label) q.set('label', next.label);
  if (next.author) q.set('author', next.author);
  if (next.assignee) q.set('assignee', next.assignee);
  if (next.page > 1) q.set('page', String(next.page));
  const s = q.toString();
  return `${repoUrl(repo)}/issues${s ? `?${s}` : ''}`;
}

function ago(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

export function IssueListPage({
  viewer,
  repo,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  data: ListData;
}) {
  const f = data.filter;
  const pages = Math.max(1, Math.ceil(data.total / data.perPage));
  const base = `${repoUrl(repo)}/issues`;
  return (
    <IssuesLayout viewer={viewer} repo={repo}>
      <div className="is-toolbar">
        {/* A plain GET form: filtering works without JavaScript. */}
        <form method="get" action={base} className="is-filters" data-testid="issue-filters">
          {f.state !== 'open' ? <input type="hidden" name="state" value={f.state} /> : null}
          <label>
            Label{' '}
            <select name="label" defaultValue={f.label}>
              <option value="">any</option>
              {data.labels.map((l) => (
                <option key={l.id} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Author <input name="author" defaultValue={f.author} size={12} />
          </label>
          <label>
            Assignee <input name="assignee" defaultValue={f.assignee} size={12} />
          </label>
          <button type="submit">Filter</button>
        </form>
        <span className="is-grow" />
        <a className="rp-button" href={`${base}/labels`}>
          Labels
        </a>
        {viewer ? (
          <a className="rp-button is-primary" href={`${base}/new`} data-testid="new-issue">
            New issue
          </a>
        ) : null}
      </div>
      <div className="rp-box">
        <div className="rp-box-head is-states">
          <a
            href={listHref(repo, f, { state: 'open' })}
            aria-current={f.state === 'open' ? 'page' : undefined}
            data-testid="open-count"
          >
            {data.openCount} Open
          </a>
          <a
            href={listHref(repo, f, { state: 'closed' })}
            aria-current={f.state === 'closed' ? 'page' : undefined}
            data-testid="closed-count"
          >
            {data.closedCount} Closed
          </a>
          <a href={listHref(repo, f, { state: 'all' })} aria-current={f.state === 'all' ? 'page' : undefined}>
            All
          </a>
        </div>
        {data.issues.length === 0 ? (
          <p className="is-empty">No issues match.</p>
        ) : (
          <ul className="is-list" data-testid="issue-list">
            {data.issues.map((i) => (
              <li key={i.number} data-number={i.number}>
                <StateBadge state={i.state} />
                <div className="is-grow">
                  <a className="is-title" href={`${base}/${i.number}`}>
                    {i.title}
                  </a>{' '}
                  {i.labels.map((l) => (
                    <LabelBadge key={l.id} label={l} href={listHref(repo, f, { label: l.name })} />
                  ))}
                  <div className="is-meta">
                    #{i.number} opened {ago(i.createdAt)} by {i.author ?? 'ghost'}
                    {i.assignees.length > 0 ? ` · assigned to ${i.assignees.join(', ')}` : ''}
                  </div>
                </div>
                {i.commentCount > 0 ? <span className="is-meta">{i.commentCount} 💬</span> : null}
              </li>
            ))}
          </ul>
        )}
      </div>
      {pages > 1 ? (
        <nav className="is-pager" aria-label="Pages" data-testid="pager">
          {f.page > 1 ? (
            <a href={listHref(repo, f, { page: f.page - 1 })}>Previous</a>
          ) : (
            <span>Previous</span>
          )}
          <span>
            Page {f.page} of {pages}
          </span>
          {f.page < pages ? <a href={listHref(repo, f, { page: f.page + 1 })}>Next</a> : <span>Next</span>}
        </nav>
      ) : null}
    </IssuesLayout>
  );
}
