/** The "add a comment" box of issues and pull requests: posts to the comments API. */
import { type ReactNode, useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';

const IMAGE = /\.(png|jpe?g|gif|webp|bmp|ico|avif)$/i;

/** Uploads files to the issue (its attachments API) and answers the markdown linking them. */
async function attach(api: string, files: File[]): Promise<string> {
  const links: string[] = [];
  for (const file of files) {
    const form = new FormData();
    form.append('attachment', file, file.name);
    const res = await fetch(`${api}/assets?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      body: form,
    });
    const json = (await res.json().catch(() => null)) as {
      message?: string;
      browser_download_url?: string;
    } | null;
    if (!res.ok || !json?.browser_download_url)
      throw new Error(`${file.name}: ${json?.message ?? res.status}`);
    const label = file.name.replace(/[[\]]/g, '');
    links.push(`${IMAGE.test(file.name) ? '!' : ''}[${label}](${json.browser_download_url})`);
  }
  return links.join('\n');
}

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
  // Files become attachments of the issue, linked where the cursor is.
  const addFiles = async (box: HTMLTextAreaElement, files: File[]) => {
    setBusy(true);
    setError(null);
    try {
      const markdown = await attach(api, files);
      const at = box.selectionStart ?? box.value.length;
      box.value = `${box.value.slice(0, at)}${markdown}\n${box.value.slice(at)}`;
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
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
      <textarea
        id="comment-body"
        name="body"
        rows={6}
        required
        maxLength={65536}
        onPaste={(e) => {
          const files = [...e.clipboardData.files];
          if (files.length === 0) return;
          e.preventDefault();
          void addFiles(e.currentTarget, files);
        }}
        onDrop={(e) => {
          const files = [...e.dataTransfer.files];
          if (files.length === 0) return;
          e.preventDefault();
          void addFiles(e.currentTarget, files);
        }}
      />
      <label className="is-meta">
        Attach files (or paste or drop them into the comment){' '}
        <input
          type="file"
          multiple
          data-testid="attach-files"
          onChange={(e) => {
            const box = e.currentTarget.form?.elements.namedItem('body');
            if (box instanceof HTMLTextAreaElement) void addFiles(box, [...(e.currentTarget.files ?? [])]);
            e.currentTarget.value = '';
          }}
        />
      </label>
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
