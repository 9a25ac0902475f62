/**
 * The review form of an open pull request: a body and Approve / Request changes / Comment, posted
 * to the reviews API with the session. The API decides who may review (and refuses an author's
 * own approval); its refusal is shown as it is.
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

export function ReviewForm({ repo, pull }: { repo: RepoView; pull: PullDetail }) {
  const router = useRouter();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (pull.merged || pull.state !== 'open') return null;
  const submit = async (event: string) => {
    setBusy(true);
    setError(null);
    try {
      await postJson(`${repoApi(repo)}/pulls/${pull.number}/reviews`, { event, body });
      setBody('');
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
