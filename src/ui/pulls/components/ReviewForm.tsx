/**
 * The review form of an open pull request: a body and Approve / Request changes / Comment, posted
 * to the reviews API with the session. The API decides who may review (and refuses an author's
 * own approval); its refusal is shown as it is. On the files tab it also carries the line
 * comments written there (`comments`), sent with the review as `{path, new_position, body}`.
 */
import { useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import { repoApi } from '../../settings/urls';
import type { PullDetail } from '../types';

const EVENTS = [
  ['APPROVED', 'Approve'],
  ['REQUEST_CHANGES', 'Request changes'],
  ['COMMENT', 'Comment'],
] as const;

export interface LineComment {
  path: string;
  line: number;
  body: string;
}

export function ReviewForm({
  repo,
  pull,
  comments = [],
  onSubmitted,
}: {
  repo: RepoView;
  pull: PullDetail;
  comments?: readonly LineComment[];
  onSubmitted?: () => void;
}) {
  const router = useRouter();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (pull.merged || pull.state !== 'open') return null;
  const submit = async (event: string) => {
    setBusy(true);
    setError(null);
    try {
      await postJson(`${repoApi(repo)}/pulls/${pull.number}/reviews`, {
        event,
        body,
        comments: comments.map((c) => ({ path: c.path, new_position: c.line, body: c.body })),
      });
      setBody('');
      onSubmitted?.();
      await router.invalidate();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="pr-box"
      aria-label="Review"
      data-testid="review-form"
      onSubmit={(e) => e.preventDefault()}
    >
      <textarea
        name="body"
        aria-label="Review body"
        placeholder="Leave a review"
        rows={3}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
      {comments.length > 0 ? (
        <p className="rp-muted" data-testid="review-pending">
          {comments.length} line comment{comments.length === 1 ? '' : 's'} will be sent with this review.
        </p>
      ) : null}
      <p>
        {EVENTS.map(([event, label]) => (
          <button key={event} type="button" disabled={busy} onClick={() => void submit(event)}>
            {label}
          </button>
        ))}
      </p>
      <ErrorLine error={error} />
    </form>
  );
}
