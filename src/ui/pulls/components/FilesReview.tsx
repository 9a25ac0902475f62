/**
 * The pull request's files tab: the diff with each review's line comments under their lines, and
 * for signed-in readers of an open pull request, line numbers that open a comment box. Comments
 * written there wait in the page until the review form below sends them with the review.
 */
import { useState } from 'react';
import type { FileDiff } from '../../../git/browse/request';
import { DiffView } from '../../repo/components/DiffView';
import type { RepoView } from '../../repo/server/view-types';
import type { PullDetail, PullGate } from '../types';
import { type LineComment, ReviewForm } from './ReviewForm';

export function FilesReview(props: {
  repo: RepoView;
  pull: PullDetail;
  files: FileDiff[];
  truncated: boolean;
  gate: PullGate | null;
  signedIn: boolean;
}) {
  const { repo, pull, gate } = props;
  const [pending, setPending] = useState<LineComment[]>([]);
  const [open, setOpen] = useState<{ path: string; line: number } | null>(null);
  const [text, setText] = useState('');
  const reviewing = props.signedIn && !pull.merged && pull.state === 'open';
  const posted = (gate?.reviews ?? []).flatMap((r) =>
    r.comments.map((c) => ({ ...c, reviewer: r.reviewer ?? 'ghost' })),
  );
  const annotate = (path: string, line: number) => {
    const here = posted.filter((c) => c.path === path && c.newPosition === line);
    const mine = pending.filter((c) => c.path === path && c.line === line);
    const editing = open?.path === path && open.line === line;
    if (here.length === 0 && mine.length === 0 && !editing) return null;
    return (
      <div className="pr-line-comments">
        {here.map((c) => (
          <p key={`${c.reviewer}:${c.body}`} data-testid="line-comment">
            <strong>{c.reviewer}</strong> {c.body}
          </p>
        ))}
        {mine.map((c) => (
          <p key={c.body} data-testid="pending-line-comment">
            <em>Pending:</em> {c.body}
          </p>
        ))}
        {editing ? (
          <div>
            <textarea
              aria-label="Line comment"
              rows={2}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <p>
              <button
                type="button"
                disabled={text.trim() === ''}
                onClick={() => {
                  setPending([...pending, { path, line, body: text.trim() }]);
                  setText('');
                  setOpen(null);
                }}
              >
                Add to review
              </button>{' '}
              <button type="button" onClick={() => setOpen(null)}>
                Cancel
              </button>
            </p>
          </div>
        ) : null}
      </div>
    );
  };

  return (
    <>
      <DiffView
        repo={repo}
        files={props.files}
        newRef={pull.headSha}
        truncated={props.truncated}
        onLine={reviewing ? (path, line) => setOpen({ path, line }) : undefined}
        annotate={annotate}
      />
      {reviewing ? (
        <ReviewForm repo={repo} pull={pull} comments={pending} onSubmitted={() => setPending([])} />
      ) : null}
    </>
  );
}
