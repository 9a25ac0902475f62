import { useRouter } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import type { LiveEvent } from '../../../live/events';
import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import { repoUrl } from '../../repo/urls';
import type { Viewer } from '../../server-fns';
import { IssuesLayout } from '../components/IssuesLayout';
import { StateBadge } from '../components/LabelBadge';
import { MarkdownHtml } from '../components/MarkdownHtml';
import { useLiveIssue } from '../live-client';
import type { IssueDetail, IssuePageData, LiveComment } from '../types';
import { useAction } from '../use-action';
import { IssueSidebar } from './IssueSidebar';

type IssueData = Extract<IssuePageData, { page: 'issue' }>;

function when(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 16);
}

/** An event applied to what the page shows; false when the page must reload its data instead. */
function apply(
  event: LiveEvent,
  setIssue: (f: (i: IssueDetail) => IssueDetail) => void,
  setComments: (f: (c: LiveComment[]) => LiveComment[]) => void,
): boolean {
  switch (event.type) {
    case 'comment.created':
      setComments((cs) => (cs.some((c) => c.id === event.comment.id) ? cs : [...cs, event.comment]));
      setIssue((i) => ({ ...i, commentCount: i.commentCount + 1 }));
      return true;
    case 'comment.updated':
      setComments((cs) => cs.map((c) => (c.id === event.comment.id ? event.comment : c)));
      return true;
    case 'comment.deleted':
      setComments((cs) => cs.filter((c) => c.id !== event.commentId));
      return true;
    case 'issue.updated':
      setIssue((i) => ({ ...i, ...event.issue }));
      return true;
    default:
      return false;
  }
}

export function IssuePage({
  viewer,
  repo,
  canWrite,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  canWrite: boolean;
  data: IssueData;
}) {
  const router = useRouter();
  const [issue, setIssue] = useState(data.issue);
  const [comments, setComments] = useState(data.comments);
  const { busy, error, act } = useAction();
  const [editing, setEditing] = useState(false);
  // Fresh loader data (after an action or a resync) replaces what events built up.
  useEffect(() => {
    setIssue(data.issue);
    setComments(data.comments);
  }, [data]);
  const reload = () => void router.invalidate();
  const live = useLiveIssue(
    repo.owner,
    repo.name,
    issue.number,
    (e) => {
      if (!apply(e, setIssue, setComments)) reload();
    },
    reload,
  );

  const api = `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/issues/${issue.number}`;

  return (
    <IssuesLayout viewer={viewer} repo={repo}>
      <div className="is-head">
        {editing ? (
          <form
            className="is-title-form"
            onSubmit={(e) => {
              e.preventDefault();
              const title = new FormData(e.currentTarget).get('title');
              void act(() => postJson(api, { title }, 'PATCH')).then(() => setEditing(false));
            }}
          >
            <input name="title" defaultValue={issue.title} maxLength={255} required aria-label="Title" />
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <h2 className="is-issue-title">
            <span data-testid="issue-title">{issue.title}</span>{' '}
            <span className="is-number">#{issue.number}</span>
            {data.canEdit ? (
              <button type="button" className="is-small" onClick={() => setEditing(true)}>
                Edit
              </button>
            ) : null}
          </h2>
        )}
        <div className="is-meta">
          <StateBadge state={issue.state} /> {issue.author ?? 'ghost'} opened this issue{' '}
          {when(issue.createdAt)} · {comments.length} comments
          <span
            className={`is-live is-live-${live}`}
            data-testid="live-status"
            data-state={live}
            title="Live updates"
          >
            {live === 'live' ? '● live' : live === 'connecting' ? '○ connecting' : '○ offline'}
          </span>
        </div>
      </div>
      <div className="is-columns">
        <div className="is-thread">
          <article className="is-comment" data-testid="issue-body">
            <header>
              <strong>{issue.author ?? 'ghost'}</strong> commented {when(issue.createdAt)}
            </header>
            <MarkdownHtml html={issue.bodyHtml || '<p><em>No description provided.</em></p>'} />
          </article>
          <div data-testid="comment-list">
            {comments.map((c) => (
              <article key={c.id} className="is-comment" id={`issuecomment-${c.id}`} data-testid="comment">
                <header>
                  <strong>{c.author ?? 'ghost'}</strong> commented{' '}
                  <a href={`#issuecomment-${c.id}`}>{when(c.createdAt)}</a>
                  {c.updatedAt !== c.createdAt ? <span className="is-meta"> (edited)</span> : null}
                  {canWrite || (viewer && viewer.username === c.author) ? (
                    <button
                      type="button"
                      className="is-small"
                      disabled={busy}
                      onClick={() => {
                        if (!window.confirm('Delete this comment?')) return;
                        void act(() =>
                          postJson(`${api.replace(/\/\d+$/, '')}/comments/${c.id}`, undefined, 'DELETE'),
                        );
                      }}
                    >
                      Delete
                    </button>
                  ) : null}
                </header>
                <MarkdownHtml html={c.bodyHtml} />
              </article>
            ))}
          </div>
          {viewer ? (
            <form
              method="post"
              className="is-form"
              data-testid="comment-form"
              onSubmit={(e) => {
                e.preventDefault();
                const form = e.currentTarget;
                const body = new FormData(form).get('body');
                void act(async () => {
                  await postJson(`${api}/comments`, { body });
                  form.reset();
                });
              }}
            >
              <label htmlFor="comment-body">Add a comment (Markdown)</label>
              <textarea id="comment-body" name="body" rows={6} required maxLength={65536} />
              <ErrorLine error={error} />
              <div className="gf-actions">
                {data.canEdit ? (
                  <button
                    type="button"
                    data-testid="toggle-state"
                    disabled={busy}
                    onClick={() =>
                      void act(() =>
                        postJson(api, { state: issue.state === 'open' ? 'closed' : 'open' }, 'PATCH'),
                      )
                    }
                  >
                    {issue.state === 'open' ? 'Close issue' : 'Reopen issue'}
                  </button>
                ) : null}
                <button className="primary" type="submit" disabled={busy}>
                  Comment
                </button>
              </div>
            </form>
          ) : (
            <p className="is-meta">
              <a href="/login">Sign in</a> to comment.
            </p>
          )}
        </div>
        <IssueSidebar
          issue={issue}
          repoLabels={data.labels}
          canWrite={canWrite}
          busy={busy}
          labelHref={(name) => `${repoUrl(repo)}/issues?label=${encodeURIComponent(name)}`}
          milestoneHref={(title) =>
            `${repoUrl(repo)}/issues?milestone=${encodeURIComponent(title)}&state=all`
          }
          save={(change) => void act(() => postJson(api, change, 'PATCH'))}
        />
      </div>
    </IssuesLayout>
  );
}
