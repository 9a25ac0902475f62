/**
 * The conversation of a pull request: its comments, kept current over the issue's live channel
 * (pull requests share issues' numbers and channel), and the comment box.
 */
import { useRouter } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { CommentForm } from '../../issues/components/CommentForm';
import { MarkdownHtml } from '../../issues/components/MarkdownHtml';
import { useLiveIssue } from '../../issues/live-client';
import type { RepoView } from '../../repo/server/view-types';
import type { Viewer } from '../../server-fns';
import type { PullComment } from '../types';

export function PullThread({
  viewer,
  repo,
  number,
  comments: loaded,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  number: number;
  comments: PullComment[];
}) {
  const router = useRouter();
  const [comments, setComments] = useState(loaded);
  // Fresh loader data (after a post, a resync or another event) replaces what events built up.
  useEffect(() => setComments(loaded), [loaded]);
  const reload = () => router.invalidate();
  const live = useLiveIssue(
    repo.owner,
    repo.name,
    number,
    (e) => {
      if (e.type === 'comment.created') {
        const c = e.comment;
        setComments((cs) => (cs.some((x) => x.id === c.id) ? cs : [...cs, c]));
      } else if (e.type === 'comment.deleted') {
        const id = e.commentId;
        setComments((cs) => cs.filter((x) => x.id !== id));
      } else {
        // State changes, pushes and merges touch the header, merge box and tabs: reload them all.
        void reload();
      }
    },
    () => void reload(),
  );
  const api = `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/issues/${number}`;
  return (
    <>
      <div data-testid="comment-list">
        {comments.map((c) => (
          <div key={c.id} className="pr-comment" id={`issuecomment-${c.id}`} data-testid="comment">
            <div className="pr-comment-head">{c.author ?? 'ghost'} commented</div>
            <div className="pr-comment-body">
              <MarkdownHtml html={c.bodyHtml} />
            </div>
          </div>
        ))}
      </div>
      <p className="rp-muted">
        <span data-testid="live-status" data-state={live} title="Live updates">
          {live === 'live' ? '● live' : live === 'connecting' ? '○ connecting' : '○ offline'}
        </span>
      </p>
      <CommentForm api={api} signedIn={viewer !== null} onPosted={reload} />
    </>
  );
}
