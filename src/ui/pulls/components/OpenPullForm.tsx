import { useState } from 'react';
import type { RepoView } from '../../repo/server/view-types';

/** The compare page's form to open a pull request from `head` into `base` (via the REST API). */
export function OpenPullForm({
  repo,
  base,
  head,
  defaultTitle,
}: {
  repo: RepoView;
  base: string;
  head: string;
  defaultTitle: string;
}) {
  const [title, setTitle] = useState(defaultTitle);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await fetch(
      `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pulls`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ base, head, title, body }),
      },
    );
    const json = (await res.json().catch(() => ({}))) as { html_url?: string; message?: string };
    if (res.status === 201 && json.html_url) {
      window.location.href = new URL(json.html_url).pathname;
      return;
    }
    setError(json.message ?? `could not open the pull request (${res.status})`);
    setBusy(false);
  };
  return (
    <form className="pr-box pr-form" onSubmit={(e) => void submit(e)} data-testid="open-pull-form">
      <strong>Open a pull request</strong>
      <input
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        placeholder="Title"
        aria-label="Title"
        name="title"
      />
      <textarea
        value={body}
        onChange={(e) => setBody(e.target.value)}
        placeholder="Description"
        aria-label="Description"
        rows={5}
      />
      <button type="submit" className="rp-button" disabled={busy}>
        Create pull request
      </button>
      {error ? <p className="pr-error">{error}</p> : null}
    </form>
  );
}
