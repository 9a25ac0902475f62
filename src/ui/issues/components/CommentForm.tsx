/** The "add a comment" box of issues and pull requests: posts to the comments API. */
import { type ReactNode, useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';

export function CommentForm({
  api,
  signedIn,
  onPosted,
  actions,
}: {
  /** The API address (`/api/v1/repos/{owner}/{repo}/issues/{n}`). */
  api: string;
  signedIn: boolean;
  onPosted: () => Promise<void>;
  /** More buttons beside "Comment" (close, reopen). */
  actions?: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!signedIn) {
    return (
      <p className="is-meta">
        <a href="/login">Sign in</a> to comment.
      </p>
    );
  }
  return (
    <form
      method="post"
      className="is-form"
      data-testid="comment-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const body = new FormData(form).get('body');
        setBusy(true);
        setError(null);
        try {
          await postJson(`${api}/comments`, { body });
          form.reset();
          await onPosted();
        } catch (err) {
          setError((err as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label htmlFor="comment-body">Add a comment (Markdown)</label>
      <textarea id="comment-body" name="body" rows={6} required maxLength={65536} />
      <ErrorLine error={error} />
      <div className="gf-actions">
        {actions}
        <button className="primary" type="submit" disabled={busy}>
          Comment
        </button>
      </div>
    </form>
  );
}
